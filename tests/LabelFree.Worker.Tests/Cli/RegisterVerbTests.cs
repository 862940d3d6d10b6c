using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;
using LabelFree.Simulation;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Worker.Tests.Cli;

/// <summary>`labelfree register --moving` on a simulated EM/IF scene with a known transform, through the real executable.</summary>
public sealed class RegisterVerbTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("cli-register");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_prediction_is_placed_in_the_if_image_within_half_a_pixel_of_the_truth_with_an_overlay()
    {
        var scene = new RegistrationSceneSimulator(new RegistrationScene
        {
            FixedSize = 512, MovingSize = 600, MovingPixelSizeMicrometres = 0.02, MaximumRotationDegrees = 5, MaximumScaleDeviation = 0.1, Seed = 7,
        }).Simulate();
        var moving = Path.Combine(_folder, "prediction.ome.tiff");
        var target = Path.Combine(_folder, "if.ome.tiff");
        var reference = Path.Combine(_folder, "truth.json");
        OmeTiffWriter.Write(Hyperstack.FromVolume(scene.MovingImmunofluorescence, VoxelSize.Isotropic(scene.MovingPixelSizeMicrometres), "mbp"), moving);
        OmeTiffWriter.Write(Hyperstack.FromVolume(scene.FixedImmunofluorescence, VoxelSize.Isotropic(scene.FixedPixelSizeMicrometres), "mbp"), target);
        RegistrationJson.WriteTransform(new RegistrationTransform(AffineTransform2D.FromMatrix(scene.Truth.ToMatrix())), reference);
        var result = Path.Combine(_folder, "result.json");
        var overlay = Path.Combine(_folder, "overlay.ome.tiff");

        var run = LabelFreeProcess.Run("register", "--moving", moving, "--target", target, "--reference", reference, "--out", result, "--overlay", overlay);

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(result));
        Assert.Equal("Registered", json.RootElement.GetProperty("outcome").GetString());
        Assert.InRange(json.RootElement.GetProperty("errorVersusReferencePixels").GetDouble(), 0, 0.5);
        Assert.InRange(json.RootElement.GetProperty("confidence").GetDouble(), 0.5, 1);
        var check = HyperstackFile.Read(overlay);
        Assert.Equal(new[] { "fixed", "moving" }, check.ChannelNames);
    }

    [Fact]
    public void An_empty_prediction_is_reported_as_insufficient_content_with_exit_1()
    {
        var moving = Path.Combine(_folder, "empty.ome.tiff");
        var target = Path.Combine(_folder, "if.ome.tiff");
        OmeTiffWriter.Write(Hyperstack.FromVolume(new Volume(new VolumeShape(1, 64, 64)), VoxelSize.Isotropic(0.1), "mbp"), moving);
        var fixedImage = new Volume(new VolumeShape(1, 128, 128));
        for (var i = 0; i < fixedImage.Voxels.Length; i++)
        {
            fixedImage.Voxels[i] = i % 7;
        }

        OmeTiffWriter.Write(Hyperstack.FromVolume(fixedImage, VoxelSize.Isotropic(0.1), "mbp"), target);
        var result = Path.Combine(_folder, "result.json");

        var run = LabelFreeProcess.Run("register", "--moving", moving, "--target", target, "--out", result);

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(result));
        Assert.Equal("InsufficientContent", json.RootElement.GetProperty("outcome").GetString());
    }
}
