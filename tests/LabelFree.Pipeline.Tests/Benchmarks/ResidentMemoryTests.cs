using LabelFree.Benchmarks;

namespace LabelFree.Pipeline.Tests.Benchmarks;

/// <summary>Runs alone: it reads the process's resident size, which tests freeing memory beside it (malloc_trim, a GC) would move.</summary>
[CollectionDefinition(nameof(ResidentMemoryTests), DisableParallelization = true)]
public sealed class ResidentMemoryCollection;

[Collection(nameof(ResidentMemoryTests))]
public class ResidentMemoryTests
{
    private const string Status = "Name:\tlabelfree\nVmPeak:\t 9876543 kB\nVmSize:\t 8765432 kB\nVmHWM:\t 4642772 kB\nVmRSS:\t  250112 kB\nThreads:\t12\n";

    [Fact]
    public void Statm_gives_resident_pages_times_the_page_size()
    {
        Assert.Equal(2500L * 4096, ResidentMemory.ParseStatm("12345 2500 300 10 0 5000 0\n", pageSize: 4096));
    }

    [Fact]
    public void Status_fields_are_read_in_kilobytes_and_returned_in_bytes()
    {
        Assert.Equal(4_642_772L * 1024, ResidentMemory.ParseStatusField(Status, "VmHWM"));
        Assert.Equal(250_112L * 1024, ResidentMemory.ParseStatusField(Status, "VmRSS"));
    }

    [Fact]
    public void Text_that_is_not_what_proc_writes_is_refused()
    {
        Assert.Throws<FormatException>(() => ResidentMemory.ParseStatm("12345", pageSize: 4096));
        Assert.Throws<FormatException>(() => ResidentMemory.ParseStatusField(Status, "VmSwap"));
        Assert.Throws<FormatException>(() => ResidentMemory.ParseStatusField("VmHWM:\t12 pages\n", "VmHWM"));
    }

    [SkippableFact]
    public void Writing_a_large_array_raises_the_resident_size_by_about_that_much()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads /proc/self");
        const int bytes = 128 << 20;
        var before = ResidentMemory.CurrentBytes();
        var block = GC.AllocateUninitializedArray<byte>(bytes);
        Array.Fill(block, (byte)1); // pages count as resident only once written

        var after = ResidentMemory.CurrentBytes();

        Assert.InRange(after - before, bytes * 0.9, bytes * 1.5);
        Assert.True(ResidentMemory.HighWaterMarkBytes() >= after);
        GC.KeepAlive(block);
    }
}
