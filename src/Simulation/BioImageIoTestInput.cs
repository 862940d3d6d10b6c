using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;

namespace LabelFree.Simulation;

/// <summary>
/// The test input of a bioimage.io package (LabelFree.Pipeline.BioImageIo.BioImageIoPackage): a simulated image of the model's input modality on the model's own grid (its voxel
/// or pixel size, every side a multiple of 2^depth), so the package's test output is the network's output for the
/// z-scored input, with no resampling or padding that a bioimage.io runner would not do.
/// </summary>
public static class BioImageIoTestInput
{
    private const long Seed = 20180917; // the paper's publication date: any fixed seed gives a reproducible package

    public static Volume For(ModelManifest manifest)
    {
        var multiple = manifest.Network.SpatialMultiple;
        if (manifest.Network.Dimensions == 3)
        {
            var scene = new TransmittedLightScene
            {
                Shape = new VolumeShape(RoundUp(16, multiple), RoundUp(64, multiple), RoundUp(64, multiple)),
                VoxelSize = manifest.VoxelSize!.Value,
                Seed = Seed,
            };
            return new TransmittedLightSimulator(scene).Simulate().TransmittedLight[0, 0];
        }

        var side = RoundUp(128, multiple);
        var micrograph = new ElectronMicrographSimulator(new ElectronMicrographScene
        {
            Width = side,
            Height = side,
            PixelSizeMicrometres = manifest.PixelSizeMicrometres ?? new ElectronMicrographScene().PixelSizeMicrometres,
            Seed = Seed,
        }).Simulate();
        return micrograph.ElectronMicrograph;
    }

    private static int RoundUp(int size, int multiple) => (size + multiple - 1) / multiple * multiple;
}
