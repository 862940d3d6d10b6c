using LabelFree.Simulation;

namespace LabelFree.Worker.Demo;

/// <summary>
/// Simulates the demo batch from seeds the models never saw: transmitted-light stacks that also carry the
/// true fluorescence channels (quality-control acquisitions) and one short time series, each written as an
/// OME-TIFF named after the stack (channel 0 bright-field, then one channel per structure).
/// </summary>
public static class DemoBatch
{
    public static IReadOnlyList<DemoStack> Simulate(DemoPlan plan, string folder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Directory.CreateDirectory(folder);

        // Far from the training seeds (plan.Seed ...), so no batch field repeats a training field.
        var batchSeed = plan.Seed + 1_000;
        var stacks = new List<DemoStack>();
        for (var i = 0; i < plan.QualityControlStacks; i++)
        {
            var name = FormattableString.Invariant($"qc-{i + 1:00}");
            stacks.Add(new DemoStack(WriteOne(plan.Scene(batchSeed + i), folder, name), 1, IsQualityControl: true));
        }

        var series = WriteOne(plan.Scene(batchSeed + plan.QualityControlStacks, plan.TimeSeriesFrames), folder, "timeseries-01");
        stacks.Add(new DemoStack(series, plan.TimeSeriesFrames, IsQualityControl: false));
        return stacks;
    }

    // SimulatedDataset writes fields/field_000.ome.tiff and training CSVs; the batch keeps only the stack, renamed.
    private static FileInfo WriteOne(TransmittedLightScene scene, string folder, string name)
    {
        var scratch = Path.Combine(folder, $".{name}");
        var written = SimulatedDataset.WriteTransmittedLight(scratch, scene, 1);
        var stack = new FileInfo(Path.Combine(folder, $"{name}.ome.tiff"));
        File.Move(written.Images[0], stack.FullName, overwrite: true);
        Directory.Delete(scratch, recursive: true);
        return stack;
    }
}
