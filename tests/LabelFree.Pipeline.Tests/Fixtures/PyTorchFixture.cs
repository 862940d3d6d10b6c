using System.Text.Json;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Fixtures;

/// <summary>
/// The files PyTorchFnet/make_fixture.py wrote with PyTorch 1.13: small fnet networks as a pytorch_fnet
/// checkpoint and a plain state dict, their inputs and PyTorch's outputs, and malicious pickles.
/// </summary>
internal static class PyTorchFixture
{
    public static string Folder { get; } =
        Path.Combine(TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Fixtures", "PyTorchFnet");

    /// <summary>The file the malicious pickles' payloads would create if anything ran them.</summary>
    public static string PayloadMarker => Description.GetProperty("marker").GetString()!;

    public static JsonElement Description { get; } =
        JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(Folder, "fixture.json"))).RootElement;

    public static string File(string name) => Path.Combine(Folder, name);

    /// <summary>A raw little-endian float32 file.</summary>
    public static float[] ReadFloats(string name)
    {
        var bytes = System.IO.File.ReadAllBytes(File(name));
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    public static long[] Shape(string network) =>
        Description.GetProperty(network).GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
