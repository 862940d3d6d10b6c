using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Cli;

/// <summary>
/// labelfree export-bioimageio through the real executable; the package is then checked outside .NET by Debian's
/// jsonschema (against the bioimage.io schema in ../shared/specs) and PyTorch (weights, architecture, test tensors).
/// </summary>
public sealed class ExportBioImageIoVerbTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Fixtures", "PyTorchFnet");
    private static readonly string Checker = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "LabelFree.Worker.Tests", "Cli", "python", "check_bioimageio_package.py");

    private readonly string _folder = TestEnvironment.NewTempFolder("cli-bioimageio");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableTheory]
    [InlineData("legacy_fnet3d_model.p", "3", new long[] { 1, 1, 16, 64, 64 })]
    [InlineData("fnet2d_state_dict.pt", "2", new long[] { 1, 1, 128, 128 })]
    public void An_exported_package_validates_and_PyTorch_reproduces_its_test_output(string weights, string dims, long[] testShape)
    {
        var schema = SharedSpecs.File("bioimageio_schema.json");
        DebianPython.RequireModules(["torch", "numpy", "jsonschema", "yaml"], "python3-torch python3-numpy python3-jsonschema python3-yaml");
        var package = Export(weights, dims, "--zip");

        Assert.Equal(testShape, NumpyArchive.ReadNpy(Path.Combine(package, "test_input.npy")).ShapeArray);
        Assert.Equal(testShape, NumpyArchive.ReadNpy(Path.Combine(package, "test_output.npy")).ShapeArray);
        using (var archive = ZipFile.OpenRead(package + ".zip"))
        {
            Assert.Equal(["README.md", "fnet.py", "rdf.yaml", "test_input.npy", "test_output.npy", "weights.pt"],
                archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        }

        var facts = Check(package, schema);
        Assert.Empty(facts.GetProperty("schema_errors").EnumerateArray());
        Assert.Empty(facts.GetProperty("sha256_mismatches").EnumerateArray());
        Assert.True(facts.GetProperty("documentation_exists").GetBoolean());
        Assert.Equal(testShape, facts.GetProperty("output_shape").EnumerateArray().Select(v => v.GetInt64()));
        Assert.Equal(1e-3, facts.GetProperty("relative_tolerance").GetDouble());
        Assert.Equal(1e-3, facts.GetProperty("absolute_tolerance").GetDouble());
        Assert.True(facts.GetProperty("elements_outside_tolerance").GetInt32() == 0, facts.ToString());
        // The comparison must be able to fail: the test output varies by far more than the tolerance allows.
        var allowed = 1e-3 + (1e-3 * facts.GetProperty("expected_max_abs").GetDouble());
        Assert.True(facts.GetProperty("expected_range").GetDouble() > 10 * allowed, facts.ToString());
    }

    [SkippableFact]
    public void The_schema_check_rejects_a_description_that_breaks_the_spec()
    {
        var schema = SharedSpecs.File("bioimageio_schema.json");
        DebianPython.RequireModules(["torch", "numpy", "jsonschema", "yaml"], "python3-torch python3-numpy python3-jsonschema python3-yaml");
        var package = Export("fnet2d_state_dict.pt", "2");
        var rdf = Path.Combine(package, "rdf.yaml");
        var description = JsonNode.Parse(File.ReadAllText(rdf))!;
        description["inputs"]![0]!["axes"]![2]!["unit"] = "micron"; // not one of the spec's unit names
        File.WriteAllText(rdf, description.ToJsonString());

        var errors = Check(package, schema).GetProperty("schema_errors").EnumerateArray().Select(e => e.GetString()!).ToList();

        Assert.Contains(errors, e => e.Contains("micron", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bundle_without_author_or_licence_is_refused_unless_they_are_given()
    {
        var bundle = Import("fnet2d_state_dict.pt", "2");

        var refused = LabelFreeProcess.Run("export-bioimageio", bundle, "--out", Path.Combine(_folder, "refused"), "--threads", "1");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("names no author", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "refused")));
    }

    private string Import(string weights, string dims)
    {
        var bundle = Path.Combine(_folder, Path.GetFileNameWithoutExtension(weights));
        string[] extra = dims == "2" ? ["--pixel-um", "0.01"] : [];
        var imported = LabelFreeProcess.Run(["import-pytorch", "--weights", Path.Combine(Fixtures, weights), "--dims", dims, "--structure", "dna", "--out", bundle, .. extra]);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        return bundle;
    }

    private string Export(string weights, string dims, params string[] extra)
    {
        var bundle = Import(weights, dims);
        var package = Path.Combine(_folder, "package-" + Path.GetFileNameWithoutExtension(weights));
        var exported = LabelFreeProcess.Run([
            "export-bioimageio", bundle, "--out", package, "--author", "Ada Lovelace", "--license", "CC-BY-4.0", "--threads", "1", .. extra,
        ]);
        Assert.True(exported.ExitCode == 0, exported.ToString());
        return package;
    }

    private static JsonElement Check(string package, string schema)
    {
        using var document = JsonDocument.Parse(DebianPython.RunScript(Checker, package, schema));
        return document.RootElement.Clone();
    }
}
