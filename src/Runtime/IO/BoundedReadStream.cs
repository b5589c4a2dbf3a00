using System.IO.Hashing;

namespace CompiledNets.IO;

/// <summary>
/// A read-only view of another stream that ends after <see cref="Limit"/> bytes (a file's length when it was opened,
/// so a device such as <c>/dev/zero</c> or a file that keeps growing is not read without end) and keeps a CRC-32 and
/// a count of what was read (gzip's trailer holds both, so they tell whether the decompressed stream really ended
/// where the file does).
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit, bool leaveOpen = false) : Stream
{
    private readonly Crc32 _crc = new();

    /// <summary>The most bytes this stream returns.</summary>
    public long Limit { get; } = limit;

    /// <summary>Bytes returned so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>CRC-32 (the gzip polynomial) of the bytes returned so far.</summary>
    public uint Crc32 => _crc.GetCurrentHashAsUInt32();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        long left = Limit - BytesRead;
        if (left <= 0 || buffer.IsEmpty) return 0;
        if (buffer.Length > left) buffer = buffer[..(int)left];
        int read = inner.Read(buffer);
        _crc.Append(buffer[..read]);
        BytesRead += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }
}
