using System.Text.Json;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// The TIFFs tiff_crosscheck.py writes with tifffile, made once per test class. Python is started lazily, so a
/// machine without it skips the tests (via <see cref="PythonTiff.RequireAvailable"/>) instead of failing the fixture.
/// </summary>
public sealed class TifffileFixtures : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-tifffile-fixtures");
    private readonly Lazy<IReadOnlyDictionary<string, JsonElement>> _manifest;

    public TifffileFixtures() => _manifest = new(() => PythonTiff.WriteFixtures(_folder));

    /// <summary>What tifffile was asked to write for <paramref name="name"/>: file, expected voxels and metadata.</summary>
    public JsonElement Fixture(string name)
    {
        PythonTiff.RequireAvailable();
        return _manifest.Value[name];
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
