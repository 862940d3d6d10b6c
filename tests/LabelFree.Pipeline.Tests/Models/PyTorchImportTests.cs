using System.IO.Compression;
using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Tests.Fixtures;
using LabelFree.Pipeline.Tests.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LabelFree.Pipeline.Tests.Models;

public class PyTorchImportTests
{
    private static readonly ModelCard DnaCard = new("DNA", "BrightField") { VoxelSize = VoxelSize.PaperIsotropic };
    private static readonly ModelCard EmCard = new("MBP", "Em") { PixelSizeMicrometres = 0.01 };

    [Fact]
    public void A_pytorch_fnet_checkpoint_predicts_what_PyTorch_predicted()
    {
        using var bundle = PyTorchImport.Import(PyTorchFixture.File("fnet3d_model.p"), DnaCard);

        Assert.Equal(FnetArchitecture.Paper3D with { Depth = 2, MultChan = 2 }, bundle.Network.Architecture);
        Assert.Equal(1, bundle.Manifest.Training?.Iterations);
        Assert.Contains("pytorch_fnet checkpoint", bundle.Manifest.Origin, StringComparison.Ordinal);
        AssertPredictsLikePyTorch(bundle.Network, "fnet3d");
    }

    [Fact]
    public void A_plain_2d_state_dict_predicts_what_PyTorch_predicted()
    {
        using var bundle = PyTorchImport.Import(PyTorchFixture.File("fnet2d_state_dict.pt"), EmCard);

        Assert.Equal(FnetArchitecture.Paper2D with { Depth = 2, MultChan = 2 }, bundle.Network.Architecture);
        Assert.Null(bundle.Manifest.Training);
        AssertPredictsLikePyTorch(bundle.Network, "fnet2d");
    }

    [Theory]
    [InlineData("malicious_os_system.p", "posix.system")]
    [InlineData("malicious_eval.pt", "__builtin__.eval")] // protocol 2 writes builtins under their Python 2 name
    [InlineData("malicious_zero_arg.p", "posix.getpid")]
    public void A_pickle_that_calls_python_code_is_refused_without_running_it(string file, string named)
    {
        // make_fixture.py proved each payload fires under PyTorch's own torch.load.
        var marker = PyTorchFixture.PayloadMarker;
        File.Delete(marker);

        var error = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(PyTorchFixture.File(file), DnaCard));

        Assert.Equal(PyTorchImportProblem.UnsafeContent, error.Problem);
        Assert.Contains(named, error.Reason, StringComparison.Ordinal);
        Assert.EndsWith(file, error.Path, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the pickle's payload ran");
    }

    [Fact]
    public void An_archive_with_a_second_data_pkl_before_the_checked_one_is_refused_without_running_it()
    {
        // The benign state dict with a malicious pickle slipped in first under a deeper name: a loader that takes
        // the first entry ending in data.pkl would run it although <name>/data.pkl passed the allow-list.
        var folder = TestEnvironment.NewTempFolder();
        var path = Path.Combine(folder, "smuggled.pt");
        using (var malicious = ZipFile.OpenRead(PyTorchFixture.File("malicious_eval.pt")))
        using (var benign = ZipFile.OpenRead(PyTorchFixture.File("fnet2d_state_dict.pt")))
        using (var smuggled = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            Copy(malicious.GetEntry("malicious_eval/data.pkl")!, smuggled, "fnet2d_state_dict/a/b/data.pkl");
            foreach (var entry in benign.Entries)
            {
                Copy(entry, smuggled, entry.FullName);
            }
        }

        var marker = PyTorchFixture.PayloadMarker;
        File.Delete(marker);

        var error = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(path, EmCard));

        Assert.Equal(PyTorchImportProblem.UnsafeContent, error.Problem);
        Assert.Contains("fnet2d_state_dict/a/b/data.pkl", error.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the smuggled pickle's payload ran");
        Directory.Delete(folder, recursive: true);

        static void Copy(ZipArchiveEntry from, ZipArchive to, string name)
        {
            using var source = from.Open();
            using var target = to.CreateEntry(name, CompressionLevel.NoCompression).Open();
            source.CopyTo(target);
        }
    }

    [Fact]
    public void Weights_for_another_architecture_than_expected_are_refused()
    {
        var error = Assert.Throws<PyTorchImportException>(
            () => PyTorchImport.Import(PyTorchFixture.File("fnet3d_model.p"), DnaCard, expected: FnetArchitecture.Paper3D));

        Assert.Equal(PyTorchImportProblem.ArchitectureMismatch, error.Problem);
        Assert.Contains("depth 2, mult_chan 2", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_extra_and_misshapen_keys_are_all_named()
    {
        var folder = TestEnvironment.NewTempFolder();
        var path = Path.Combine(folder, "broken.pt");
        using (var network = Fnet.Create(FnetArchitecture.Paper3D with { Depth = 1, MultChan = 2 }, seed: 5))
        {
            var stateDict = new Dictionary<string, Tensor>(network.state_dict());
            stateDict.Remove("net_recurse.bn0.running_var");
            stateDict["net_recurse.sub_u.conv_down.weight"] = zeros(new long[] { 2, 2, 2, 2, 2 });
            stateDict["net_recurse.convt.weight"] = zeros(new long[] { 4, 2, 3, 3, 3 });
            PyTorchPickler.PickleStateDict(path, stateDict);
        }

        var error = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(path, DnaCard));

        Assert.Equal(PyTorchImportProblem.ArchitectureMismatch, error.Problem);
        Assert.Contains("missing keys: net_recurse.bn0.running_var", error.Reason, StringComparison.Ordinal);
        Assert.Contains("unexpected keys: net_recurse.sub_u.conv_down.weight", error.Reason, StringComparison.Ordinal);
        Assert.Contains("net_recurse.convt.weight is (4, 2, 3, 3, 3), the network needs (4, 2, 2, 2, 2)", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_fnet_state_dict_is_refused_with_its_keys()
    {
        var path = Path.Combine(TestEnvironment.NewTempFolder(), "linear.pt");
        PyTorchPickler.PickleStateDict(path, new Dictionary<string, Tensor> { ["fc.weight"] = zeros(3, 4), ["fc.bias"] = zeros(3) });

        var error = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(path, DnaCard));

        Assert.Equal(PyTorchImportProblem.ArchitectureMismatch, error.Problem);
        Assert.Contains("fc.weight", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_pytorch_fnet_checkpoint_predicts_what_PyTorch_predicted()
    {
        // make_legacy_fixture.py re-saved fnet3d_model.p with _use_new_zipfile_serialization=False (PyTorch 0.4-1.5's format).
        using var bundle = PyTorchImport.Import(PyTorchFixture.File("legacy_fnet3d_model.p"), DnaCard);

        Assert.Equal(FnetArchitecture.Paper3D with { Depth = 2, MultChan = 2 }, bundle.Network.Architecture);
        Assert.Equal(1, bundle.Manifest.Training?.Iterations);
        Assert.Contains("pytorch_fnet checkpoint, fnet_nn_3d_params", bundle.Manifest.Origin, StringComparison.Ordinal);
        AssertPredictsLikePyTorch(bundle.Network, "fnet3d");
    }

    [Fact]
    public void A_legacy_2d_state_dict_predicts_what_PyTorch_predicted()
    {
        using var bundle = PyTorchImport.Import(PyTorchFixture.File("legacy_fnet2d_state_dict.pt"), EmCard);

        Assert.Equal(FnetArchitecture.Paper2D with { Depth = 2, MultChan = 2 }, bundle.Network.Architecture);
        Assert.Contains("PyTorch state dict", bundle.Manifest.Origin, StringComparison.Ordinal);
        AssertPredictsLikePyTorch(bundle.Network, "fnet2d");
    }

    [Fact]
    public void A_legacy_pickle_that_calls_python_code_is_refused_without_running_it()
    {
        var marker = PyTorchFixture.PayloadMarker;
        File.Delete(marker);

        var error = Assert.Throws<PyTorchImportException>(
            () => PyTorchImport.Import(PyTorchFixture.File("legacy_malicious_os_system.p"), DnaCard));

        Assert.Equal(PyTorchImportProblem.UnsafeContent, error.Problem);
        Assert.Contains("posix.system", error.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "the pickle's payload ran");
    }

    [Theory]
    [InlineData(15, "pickle byte 15: the pickle ends inside an opcode")] // the magic number alone
    [InlineData(200, "the pickle cannot be checked: the pickle ends inside")] // the object's pickle cut short
    [InlineData(-40, "the file ends inside it")] // the last storage cut short
    public void A_truncated_legacy_file_is_refused_as_unreadable(int keptBytes, string reason)
    {
        var original = File.ReadAllBytes(PyTorchFixture.File("legacy_fnet2d_state_dict.pt"));
        var path = Path.Combine(TestEnvironment.NewTempFolder(), "truncated.pt");
        File.WriteAllBytes(path, original[..(keptBytes > 0 ? keptBytes : original.Length + keptBytes)]);

        var error = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(path, EmCard));

        Assert.Equal(PyTorchImportProblem.Unreadable, error.Problem);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_tensor_that_reaches_outside_its_storage_is_refused()
    {
        // The first conv bias of the 2D fixture: 2 float32 values. Its size tuple (2,) becomes (200,), past the storage.
        var bytes = File.ReadAllBytes(PyTorchFixture.File("legacy_fnet2d_state_dict.pt"));
        var path = Path.Combine(TestEnvironment.NewTempFolder(), "reaching.pt");
        var key = bytes.AsSpan().IndexOf("net_recurse.sub_2conv_more.conv1.bias"u8);
        // After the key: BINPERSID, BININT1 0 (offset), BININT1 2 (the size), TUPLE1.
        var size = key + bytes.AsSpan(key).IndexOf(new byte[] { (byte)'Q', (byte)'K', 0, (byte)'K', 2, 0x85 }) + 4;
        bytes[size] = 200;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(path, EmCard));

        Assert.Equal(PyTorchImportProblem.Unreadable, error.Problem);
        Assert.Contains("a tensor reaching element 199 of storage", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_non_torch_files_are_refused()
    {
        var folder = TestEnvironment.NewTempFolder();
        var text = Path.Combine(folder, "notes.txt");
        File.WriteAllText(text, "not a model");

        var missing = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(Path.Combine(folder, "absent.pt"), DnaCard));
        var unreadable = Assert.Throws<PyTorchImportException>(() => PyTorchImport.Import(text, DnaCard));

        Assert.Equal(PyTorchImportProblem.FileNotFound, missing.Problem);
        Assert.Equal(PyTorchImportProblem.Unreadable, unreadable.Problem);
    }

    [Fact]
    public void A_3d_model_card_without_a_voxel_size_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(
            () => PyTorchImport.Import(PyTorchFixture.File("fnet3d_model.p"), new ModelCard("DNA", "BrightField")));

        Assert.Contains("voxelSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_seeded_network_draws_the_same_initial_weights_as_pytorch_fnet_release_1()
    {
        // r1_init_seed7.json: torch.manual_seed(7), Net(depth 2, mult_chan 2), apply(release_1 init), per-tensor sums.
        var reference = JsonDocument.Parse(File.ReadAllText(PyTorchFixture.File("r1_init_seed7.json"))).RootElement;
        using var network = Fnet.Create(FnetArchitecture.Paper3D with { Depth = 2, MultChan = 2 }, seed: 7);
        var stateDict = network.state_dict();

        var sums = reference.GetProperty("sums").EnumerateObject().ToList();
        Assert.Equal(stateDict.Count(pair => pair.Value.is_floating_point()), sums.Count);
        foreach (var sum in sums)
        {
            var ours = stateDict[sum.Name].to(ScalarType.Float64).sum().item<double>();
            Assert.True(Math.Abs(ours - sum.Value.GetDouble()) <= 1e-9 * Math.Max(1, Math.Abs(ours)), $"{sum.Name}: {ours} vs {sum.Value}");
        }
    }

    private static void AssertPredictsLikePyTorch(Fnet network, string fixture)
    {
        var shape = PyTorchFixture.Shape(fixture);
        var input = PyTorchFixture.ReadFloats($"{fixture}_input.f32");
        var expected = PyTorchFixture.ReadFloats($"{fixture}_expected.f32");
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var output = network.forward(tensor(input, shape)).data<float>().ToArray();

        // Relative to the output's largest magnitude: float32 sums in another order differ by ~1e-7.
        var scale = expected.Max(Math.Abs);
        var worst = output.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Assert.Equal(expected.Length, output.Length);
        Assert.True(worst <= 1e-5 * scale, $"max |C# - PyTorch| = {worst}, output max |y| = {scale}");
    }
}
