using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CompiledNets.Kernels;

/// <summary>
/// The instruction sequence an int8 dot product runs on. Every path computes the same exact int32 sums (integer
/// arithmetic has no rounding), so the choice changes speed, never results.
/// </summary>
internal enum Int8DotPath
{
    /// <summary>Plain integer multiply-adds, one byte pair at a time.</summary>
    Scalar,

    /// <summary>u8 and s8 widened to int16, multiplied in pairs into int32 (pmaddwd on x86), 16 bytes per step.</summary>
    Vector128,

    /// <summary>The same widening multiply on 256-bit registers, 32 bytes per step.</summary>
    Vector256,

    /// <summary>The same widening multiply on 512-bit registers, 64 bytes per step.</summary>
    Vector512,

    /// <summary>
    /// AVX-VNNI vpdpbusd on 256-bit registers: 32 u8 x s8 products summed four at a time into int32 lanes in one
    /// instruction. .NET 10 exposes VNNI only as <see cref="AvxVnni"/> (VEX, 128/256-bit): there is no 512-bit
    /// vpdpbusd (AVX512-VNNI) in its API, so this is the widest dot-product instruction it can run on x64.
    /// </summary>
    AvxVnni256,
}

/// <summary>Which <see cref="Int8DotPath"/> a kernel call takes, from the width in force and the hardware.</summary>
internal static class Int8DotPaths
{
    /// <summary>
    /// The fastest path allowed at <paramref name="width"/> (bits, as <see cref="KernelSettings.VectorWidth"/>):
    /// AVX-VNNI whenever 256-bit registers are allowed and the CPU has it (one instruction per 32 products beats three
    /// or four per 32 on 512-bit registers), else the widening multiply at that width.
    /// </summary>
    public static Int8DotPath Select(int width)
    {
        if (width >= 256 && AvxVnni.IsSupported) return Int8DotPath.AvxVnni256;
        return width switch
        {
            512 => Int8DotPath.Vector512,
            256 => Int8DotPath.Vector256,
            128 => Int8DotPath.Vector128,
            _ => Int8DotPath.Scalar,
        };
    }

    /// <summary>Whether this process can run <paramref name="path"/> (tests force every path it can).</summary>
    public static bool IsSupported(Int8DotPath path) => path switch
    {
        Int8DotPath.AvxVnni256 => AvxVnni.IsSupported,
        Int8DotPath.Vector512 => Vector512.IsHardwareAccelerated,
        Int8DotPath.Vector256 => Vector256.IsHardwareAccelerated,
        Int8DotPath.Vector128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };
}
