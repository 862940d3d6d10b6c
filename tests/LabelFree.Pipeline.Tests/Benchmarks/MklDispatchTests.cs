using LabelFree.Benchmarks;
using TorchSharp;

namespace LabelFree.Pipeline.Tests.Benchmarks;

public class MklDispatchTests
{
    [SkippableFact]
    public void Mkl_takes_the_cpu_for_intel_exactly_when_its_vendor_is_intel()
    {
        Skip.IfNot(File.Exists("/proc/cpuinfo"), "needs /proc/cpuinfo to know the vendor");
        _ = torch.get_num_threads(); // loads libtorch
        var vendor = File.ReadLines("/proc/cpuinfo").First(line => line.StartsWith("vendor_id", StringComparison.Ordinal));

        var intel = MklDispatch.TreatsCpuAsIntel();

        Skip.If(intel is null, "this libtorch build exports no MKL CPU check");
        Assert.Equal(vendor.Contains("GenuineIntel", StringComparison.Ordinal), intel);
    }
}
