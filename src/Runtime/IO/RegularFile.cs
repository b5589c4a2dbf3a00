using Microsoft.Win32.SafeHandles;

namespace CompiledNets.IO;

/// <summary>
/// Opens files for reading the way every loader here needs: only a regular file is accepted, and asking for a named
/// pipe, a socket or a device never blocks. A plain <see cref="FileStream"/> would block forever in <c>open()</c> on a
/// FIFO with no writer, and would read <c>/dev/zero</c> until memory runs out.
/// </summary>
/// <remarks>
/// On Linux and macOS the file is opened with <c>O_NONBLOCK</c> (which a regular file ignores), so a FIFO opens at once
/// and is then refused because it cannot seek. A device that can seek (such as <c>/dev/zero</c>) reports a length of 0,
/// and the loaders read no further than the length reported at open (<see cref="LengthAtOpen"/>). Where the C library
/// cannot be called (another OS), the plain FileStream is used.
/// </remarks>
internal static partial class RegularFile
{
    private const int ReadOnly = 0;

    /// <summary>Opens <paramref name="path"/> for reading, or throws <see cref="InvalidDataException"/> from <paramref name="error"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static FileStream OpenRead(string path, int bufferSize, Func<string, Exception> error)
    {
        if (Directory.Exists(path)) throw error("it is a directory, not a file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' does not exist.", path);
        FileStream stream = OpenWithoutBlocking(path, bufferSize) ?? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw error("it is a named pipe, socket or character device, not a regular file; copy the data to a file first.");
        }

        return stream;
    }

    /// <summary>The file's length when it was opened: a device reports 0, a file that grows is read only this far.</summary>
    public static long LengthAtOpen(FileStream stream) => stream.Length;

    private static FileStream? OpenWithoutBlocking(string path, int bufferSize)
    {
        // O_NONBLOCK | O_CLOEXEC (the descriptor must not leak into child processes, as FileStream's never do).
        int flags;
        if (OperatingSystem.IsLinux()) flags = 0x800 | 0x80000;
        else if (OperatingSystem.IsMacOS()) flags = 0x4 | 0x1000000;
        else if (OperatingSystem.IsFreeBSD()) flags = 0x4 | 0x100000;
        else return null;

        int descriptor;
        try
        {
            descriptor = Open(path, ReadOnly | flags);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        // A failure (no permission, gone since the check) falls back to FileStream for its usual exception.
        if (descriptor < 0) return null;
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        try
        {
            return new FileStream(handle, FileAccess.Read, bufferSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);
}
