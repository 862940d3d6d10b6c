namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>The header facts and the chain of image file directories of one TIFF file.</summary>
internal sealed record TiffStructure(bool IsBigTiff, bool IsLittleEndian, IReadOnlyList<TiffDirectory> Directories, TiffByteReader Reader);
