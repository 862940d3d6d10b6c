using System.IO.Compression;
using System.Text;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Tests.Fixtures;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Models;

public class PickleGlobalsTests
{
    [Fact]
    public void A_real_checkpoint_names_only_tensor_and_dict_globals()
    {
        using var archive = ZipFile.OpenRead(PyTorchFixture.File("fnet3d_model.p"));
        using var pickle = new MemoryStream();
        archive.Entries.Single(entry => entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).Open().CopyTo(pickle);

        var globals = PickleGlobals.Referenced(pickle.ToArray()).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(["collections.OrderedDict", "torch.FloatStorage", "torch.LongStorage", "torch._utils._rebuild_tensor_v2"], globals);
    }

    [Fact]
    public void Globals_named_in_protocol_0_and_2_opcodes_are_listed()
    {
        // GLOBAL 'os system', then INST 'builtins eval' with a marked empty argument tuple, then STOP.
        var pickle = Encoding.Latin1.GetBytes("\x80\x02" + "cos\nsystem\n" + "(ibuiltins\neval\n" + ".");

        Assert.Equal(["os.system", "builtins.eval"], PickleGlobals.Referenced(pickle));
    }

    [Fact]
    public void A_protocol_4_stack_global_is_refused_as_uncheckable()
    {
        // PROTO 4, SHORT_BINUNICODE 'posix', MEMOIZE, SHORT_BINUNICODE 'system', MEMOIZE, STACK_GLOBAL, ... STOP.
        byte[] pickle = [0x80, 4, 0x8c, 5, .. "posix"u8, 0x94, 0x8c, 6, .. "system"u8, 0x94, 0x93, 0x94, (byte)')', (byte)'R', (byte)'.'];
        var path = Path.Combine(TestEnvironment.NewTempFolder(), "protocol4.pt");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var entry = archive.CreateEntry("protocol4/data.pkl", CompressionLevel.NoCompression).Open();
            entry.Write(pickle);
        }

        var error = Assert.Throws<PyTorchImportException>(
            () => PyTorchImport.Import(path, new ModelCard("DNA", "BrightField") { VoxelSize = VoxelSize.PaperIsotropic }));

        Assert.Equal(PyTorchImportProblem.UnsafeContent, error.Problem);
        Assert.Contains("STACK_GLOBAL", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'c', (byte)'o', (byte)'s' })] // text argument without its newline
    [InlineData(new byte[] { 0x80, 0x02, (byte)'X', 0xff, 0xff, 0x00, 0x00 })] // string longer than the pickle
    [InlineData(new byte[] { 0x80, 0x02, 0xff })] // no such opcode
    [InlineData(new byte[] { 0x80, 0x02, (byte)'N' })] // no STOP
    public void A_malformed_pickle_is_refused(byte[] pickle)
    {
        Assert.Throws<InvalidDataException>(() => PickleGlobals.Referenced(pickle));
    }
}
