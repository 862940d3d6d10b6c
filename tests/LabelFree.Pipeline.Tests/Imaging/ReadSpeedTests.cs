using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>Runs alone, so other tests' work does not count against the measured read.</summary>
[CollectionDefinition(nameof(ReadSpeedTests), DisableParallelization = true)]
public sealed class ReadSpeedCollection;

/// <summary>
/// A typical 3D transmitted-light stack reads in about 0.1 s (measured on the 2-core CI machine): one byte buffer
/// per page, span conversion, no per-pixel work. The allocation bound is the exact check of that design; the time
/// bound only catches a pathological slowdown, with room for a machine shared with other builds.
/// </summary>
[Collection(nameof(ReadSpeedTests))]
public sealed class ReadSpeedTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-speed");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_50_by_624_by_924_float32_stack_reads_fast_with_one_buffer_per_page()
    {
        var image = SampleHyperstacks.Random(1, 1, 50, 624, 924);
        var path = Path.Combine(_folder, "stack.ome.tiff");
        OmeTiffWriter.Write(image, path);
        HyperstackFile.Read(path); // warm up the JIT and the page cache

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var read = HyperstackFile.Read(path);
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        SampleHyperstacks.AssertIdentical(image, read);
        const long VolumeBytes = 50L * 624 * 924 * sizeof(float);
        const long PageBytes = 624L * 924 * sizeof(float);
        Assert.True(allocated < VolumeBytes + (2 * PageBytes) + 1_000_000, $"Reading allocated {allocated} bytes for a {VolumeBytes}-byte volume.");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"Reading 115 MB took {clock.ElapsedMilliseconds} ms.");
    }
}
