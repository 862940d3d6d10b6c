using BitMiracle.LibTiff.Classic;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>LibTiff's stream adapter, except that disposing the Tiff leaves the caller's stream open.</summary>
internal sealed class UnclosingTiffStream : TiffStream
{
    public override void Close(object clientData)
    {
    }
}
