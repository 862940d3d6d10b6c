using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Cli;

/// <summary>
/// The README's recipe for the real Allen bright-field / DNA pair runs as written (with a few iterations
/// instead of 2000, so it fits CI): train writes a bundle, evaluate scores it, predict overlays the input.
/// </summary>
public sealed class RealDataRecipeTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("cli-real");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public void The_readme_recipe_trains_evaluates_and_predicts_on_the_real_allen_pair()
    {
        var light = RealData.File("allen_fnet_3d_transmitted_dna/run_170622_174530_whole_cropped_light.tif");
        var nuc = RealData.File("allen_fnet_3d_transmitted_dna/run_170622_174530_whole_cropped_nuc.tif");
        var csv = Path.Combine(_folder, "allen.csv");
        File.WriteAllText(csv, $"signal,target,voxel_z_um,voxel_y_um,voxel_x_um\n{light},{nuc},0.29,0.29,0.29\n");
        var model = Path.Combine(_folder, "allen-dna");

        var trained = LabelFreeProcess.Run("train", "--pairs", csv, "--structure", "dna", "--out", model, "--train-fraction", "1",
            "--iterations", "2", "--batch", "2", "--patch", "32,64,64", "--depth", "2", "--mult-chan", "4", "--checkpoint-every", "2");
        var evaluated = LabelFreeProcess.Run("evaluate", "--model", model, "--pairs", csv, "--out", Path.Combine(_folder, "report.json"));
        var prediction = Path.Combine(_folder, "allen.dna.ome.tiff");
        var predicted = LabelFreeProcess.Run("predict", "--model", model, "--input", light, "--out", prediction, "--voxel-size", "0.29");

        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.Contains("split 1 train / 0 test", trained.Output, StringComparison.Ordinal);
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        Assert.Contains("dna: n = 1", evaluated.Output, StringComparison.Ordinal);
        Assert.True(predicted.ExitCode == 0, predicted.ToString());
        var image = HyperstackFile.Read(prediction);
        Assert.Equal(new HyperstackShape(1, 1, 32, 128, 128), image.Shape);
        Assert.Equal(VoxelSize.PaperIsotropic, image.VoxelSize);
    }
}
