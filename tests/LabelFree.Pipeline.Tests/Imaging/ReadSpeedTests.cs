using System.Diagnostics;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>A typical 3D transmitted-light stack reads fast enough to never matter next to prediction.</summary>
public sealed class ReadSpeedTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-speed");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_50_by_624_by_924_float32_stack_reads_in_well_under_a_second()
    {
        var image = SampleHyperstacks.Random(1, 1, 50, 624, 924);
        var path = Path.Combine(_folder, "stack.ome.tiff");
        OmeTiffWriter.Write(image, path);
        HyperstackFile.Read(Path.Combine(_folder, "stack.ome.tiff")); // warm up the JIT and the page cache

        var clock = Stopwatch.StartNew();
        var read = HyperstackFile.Read(path);
        clock.Stop();

        Assert.Equal(image[0, 0].Voxels[^1], read[0, 0].Voxels[^1]);
        // The target is ~0.1 s; the bound leaves room for a busy 2-core CI machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Reading 115 MB took {clock.ElapsedMilliseconds} ms.");
    }
}
