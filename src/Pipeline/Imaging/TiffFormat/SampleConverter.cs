using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>Converts decoded sample bytes (native byte order) to float32, picking one sample of interleaved pixels.</summary>
internal static class SampleConverter
{
    /// <param name="source">Samples in native byte order, <paramref name="stride"/> samples per pixel.</param>
    /// <param name="sample">Which of the interleaved samples to take (0 when <paramref name="stride"/> is 1).</param>
    public static void ToFloat(ReadOnlySpan<byte> source, PixelSampleType type, int stride, int sample, Span<float> destination)
    {
        switch (type)
        {
            case PixelSampleType.UInt8: Convert<byte>(source, stride, sample, destination); break;
            case PixelSampleType.Int8: Convert<sbyte>(source, stride, sample, destination); break;
            case PixelSampleType.UInt16: Convert<ushort>(source, stride, sample, destination); break;
            case PixelSampleType.Int16: Convert<short>(source, stride, sample, destination); break;
            case PixelSampleType.UInt32: Convert<uint>(source, stride, sample, destination); break;
            case PixelSampleType.Int32: Convert<int>(source, stride, sample, destination); break;
            case PixelSampleType.Float16: Convert<Half>(source, stride, sample, destination); break;
            case PixelSampleType.Float64: Convert<double>(source, stride, sample, destination); break;
            default:
                if (stride == 1)
                {
                    MemoryMarshal.Cast<byte, float>(source)[..destination.Length].CopyTo(destination);
                }
                else
                {
                    Convert<float>(source, stride, sample, destination);
                }

                break;
        }
    }

    /// <summary>Reverses the byte order of every sample in place (raw big-endian data on a little-endian machine).</summary>
    public static void SwapByteOrder(Span<byte> data, int bytesPerSample)
    {
        switch (bytesPerSample)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(data);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(data);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(data);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }

    private static void Convert<T>(ReadOnlySpan<byte> source, int stride, int sample, Span<float> destination)
        where T : unmanaged, INumberBase<T>
    {
        var values = MemoryMarshal.Cast<byte, T>(source);
        if (stride == 1)
        {
            values = values[..destination.Length];
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = float.CreateTruncating(values[i]);
            }

            return;
        }

        for (int i = 0, j = sample; i < destination.Length; i++, j += stride)
        {
            destination[i] = float.CreateTruncating(values[j]);
        }
    }
}
