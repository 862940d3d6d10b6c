using System.Collections;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// The pages of a file, each interpreted on first use. Pages the image does not use (a JPEG thumbnail, a second
/// OME series in another format) are never interpreted, so they cannot make an otherwise readable file fail.
/// </summary>
internal sealed class TiffPageSet : IReadOnlyList<TiffPage>
{
    private readonly IReadOnlyList<TiffDirectory> _directories;
    private readonly TiffPage?[] _pages;
    private readonly string _source;

    public TiffPageSet(TiffStructure structure, string source)
    {
        _directories = structure.Directories;
        _pages = new TiffPage?[_directories.Count];
        _source = source;
    }

    public int Count => _directories.Count;

    /// <summary>The ImageDescription of the first page, where ImageJ and OME-TIFF keep their metadata.</summary>
    public string? FirstDescription => _directories[0].GetString(TiffTagId.ImageDescription);

    public TiffPage this[int index] => _pages[index] ??= TiffPageParser.Parse(_directories[index], _source);

    /// <summary>NewSubfileType bit 0: a thumbnail or pyramid level.</summary>
    public bool IsReducedResolution(int index) => (_directories[index].GetInteger(TiffTagId.NewSubfileType, 0) & 1) != 0;

    public IEnumerator<TiffPage> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
