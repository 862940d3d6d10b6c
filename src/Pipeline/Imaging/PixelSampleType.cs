namespace LabelFree.Pipeline.Imaging;

/// <summary>The numeric type of one stored sample in an image file (the reader converts every type to float32).</summary>
public enum PixelSampleType
{
    UInt8,
    Int8,
    UInt16,
    Int16,
    UInt32,
    Int32,
    Float16,
    Float32,
    Float64,
}
