using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>Runs alone, so other tests' allocations on this thread do not count against the measured read.</summary>
[CollectionDefinition(nameof(ReadAllocationTests), DisableParallelization = true)]
public sealed class ReadAllocationCollection;

/// <summary>
/// A typical 3D transmitted-light stack is read with one byte buffer per page and span conversion, no per-pixel
/// work. The allocation bound is the deterministic check of that design; speed itself is a benchmark's business,
/// never a timed assertion.
/// </summary>
[Collection(nameof(ReadAllocationTests))]
public sealed class ReadAllocationTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-speed");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_50_by_624_by_924_float32_stack_reads_with_one_buffer_per_page()
    {
        var image = SampleHyperstacks.Random(1, 1, 50, 624, 924);
        var path = Path.Combine(_folder, "stack.ome.tiff");
        OmeTiffWriter.Write(image, path);
        HyperstackFile.Read(path); // warm up the JIT and the page cache

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var read = HyperstackFile.Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        SampleHyperstacks.AssertIdentical(image, read);
        const long VolumeBytes = 50L * 624 * 924 * sizeof(float);
        const long PageBytes = 624L * 924 * sizeof(float);
        Assert.True(allocated < VolumeBytes + (2 * PageBytes) + 1_000_000, $"Reading allocated {allocated} bytes for a {VolumeBytes}-byte volume.");
    }
}
