using System.Runtime.InteropServices;
using TorchSharp;

namespace LabelFree.Pipeline.Compute;

/// <summary>
/// Makes a read of memory that was never written show up on any host: every tensor buffer libtorch
/// allocates from now on is filled with a NaN pattern (c10's FLAGS_caffe2_cpu_allocator_do_junk_fill,
/// 0x7fedbeef, which covers oneDNN's reorder buffers and scratchpads too, since libtorch gives oneDNN its
/// allocator), and <see cref="Refill"/> leaves freed non-finite blocks for the next allocations of any other
/// allocator to recycle. A kernel that reads before it writes then computes NaN instead of quietly
/// using the zeros of fresh pages, which is how the convolution-backward fault hid on unaffected hosts.
/// Only for the self-test's child processes (run with glibc told to recycle freed memory): it costs a
/// memset per allocation.
/// </summary>
public static class PollutedHeap
{
    private const long BlockBytes = 64L << 20;

    public static bool IsJunkFillEnabled => Marshal.ReadByte(JunkFillFlag()) != 0;

    /// <summary>From now on every libtorch CPU allocation starts as NaN.</summary>
    public static void EnableJunkFill() => Marshal.WriteByte(JunkFillFlag(), 1);

    /// <summary>New allocations are left as the allocator hands them out again (for tests that pollute for a while).</summary>
    public static void DisableJunkFill() => Marshal.WriteByte(JunkFillFlag(), 0);

    /// <summary>Allocates non-finite blocks and frees them again, so that recycled memory holds NaN.</summary>
    public static void Refill(int blocks = 2)
    {
        for (var i = 0; i < blocks; i++)
        {
            using var block = torch.full([BlockBytes / sizeof(float)], float.NaN);
        }
    }

    private static nint JunkFillFlag()
    {
        _ = torch.get_num_threads();
        var library = NativeLibrary.Load("libc10.so", typeof(torch).Assembly, null);
        return NativeLibrary.GetExport(library, "FLAGS_caffe2_cpu_allocator_do_junk_fill");
    }
}
