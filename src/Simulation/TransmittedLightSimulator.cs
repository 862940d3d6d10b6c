using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// Simulates bright-field z-stacks with matching fluorescence targets of known truth (see
/// <see cref="TransmittedLightScene"/>): a colony of cells is rendered into label densities and a refractive-index
/// map; the bright-field stack comes from <see cref="BrightFieldImaging"/>, each fluorescence stack from the
/// label density through a Gaussian PSF and a <see cref="PoissonGaussianCamera"/>. Deterministic by seed.
/// </summary>
public sealed class TransmittedLightSimulator
{
    public const string TransmittedLightChannel = "bright-field";

    private readonly TransmittedLightScene _scene;

    public TransmittedLightSimulator(TransmittedLightScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        scene.Validate();
        _scene = scene;
    }

    public SimulatedFieldOfView Simulate()
    {
        var field = PaddedField.For(_scene.Shape, _scene.VoxelSize);
        var colony = CellColony.Generate(
            _scene, field.X(0), field.X(field.Padded.X - 1), field.Y(0), field.Y(field.Padded.Y - 1));
        var rasterizer = new CellFieldRasterizer(_scene, field);

        var frames = Enumerable.Range(0, _scene.Frames)
            .Select(t => SimulateFrame(t, colony, rasterizer, field))
            .ToArray();

        Hyperstack Stack(Func<FrameImages, Volume> pick, string channel) => new(
            _scene.Frames, 1, frames.Select(pick).ToArray(), _scene.VoxelSize, [channel], _scene.FrameIntervalSeconds);

        var structures = _scene.Structures;
        return new SimulatedFieldOfView(
            Stack(f => f.TransmittedLight, TransmittedLightChannel),
            Stack(f => f.TransmittedLightNoiseFree, TransmittedLightChannel),
            structures.ToDictionary(s => s, s => Stack(f => f.Fluorescence[s], s), StringComparer.Ordinal),
            structures.ToDictionary(s => s, s => Stack(f => f.Controls[s], s + "-control"), StringComparer.Ordinal),
            structures.ToDictionary(s => s, s => Stack(f => f.Truth[s], s), StringComparer.Ordinal),
            Stack(f => f.RefractiveIndex, "refractive-index"),
            Enumerable.Range(0, _scene.Frames).Select(t => CellsInside(colony.CellsAt(t))).ToArray());
    }

    /// <summary>The cells whose centre lies inside the image (the field also holds cells beyond its edges).</summary>
    private IReadOnlyList<SimulatedCell> CellsInside(IReadOnlyList<SimulatedCell> cells)
    {
        var (width, height) = (_scene.Shape.X * _scene.VoxelSize.X, _scene.Shape.Y * _scene.VoxelSize.Y);
        return cells.Where(c => c.CenterX >= 0 && c.CenterX < width && c.CenterY >= 0 && c.CenterY < height).ToArray();
    }

    private FrameImages SimulateFrame(int frame, CellColony colony, CellFieldRasterizer rasterizer, PaddedField field)
    {
        var maps = rasterizer.Render(colony.CellsAt(frame), colony.EmptySitesAt(frame));

        var brightField = _scene.BrightField;
        var relative = field.Crop(BrightFieldImaging.RelativeIntensity(
            maps.IndexExcess, _scene.VoxelSize, brightField, _scene.RefractiveIndex.Medium));
        var illumination = new Volume(relative.Shape);
        for (var i = 0; i < relative.Voxels.Length; i++)
        {
            // The weak-object expansion can undershoot where contrast is strong; a camera never sees negative light.
            illumination.Voxels[i] = (float)(brightField.IlluminationPhotons * Math.Max(0.02, relative.Voxels[i]));
        }

        var transmittedLight = brightField.Camera.Expose(
            illumination, SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf(TransmittedLightChannel), (ulong)frame));

        var optics = _scene.Fluorescence;
        var (sigmaZ, sigmaY, sigmaX) = (optics.AxialSigmaMicrometres / _scene.VoxelSize.Z,
            optics.LateralSigmaMicrometres / _scene.VoxelSize.Y, optics.LateralSigmaMicrometres / _scene.VoxelSize.X);
        var autofluorescence = field.Crop(GaussianBlur.Apply(maps.CellBody, sigmaZ, sigmaY, sigmaX));
        var unlabelled = new Volume(autofluorescence.Shape);
        for (var i = 0; i < unlabelled.Voxels.Length; i++)
        {
            unlabelled.Voxels[i] = (float)(optics.BackgroundPhotons + optics.AutofluorescencePhotons * autofluorescence.Voxels[i]);
        }

        var fluorescence = new Dictionary<string, Volume>(StringComparer.Ordinal);
        var controls = new Dictionary<string, Volume>(StringComparer.Ordinal);
        var truth = new Dictionary<string, Volume>(StringComparer.Ordinal);
        foreach (var structure in _scene.Structures)
        {
            var label = field.Crop(GaussianBlur.Apply(maps.Label(structure), sigmaZ, sigmaY, sigmaX));
            var peak = optics.PeakPhotonsFor(structure);
            var photons = new Volume(label.Shape);
            for (var i = 0; i < photons.Voxels.Length; i++)
            {
                photons.Voxels[i] = (float)(unlabelled.Voxels[i] + peak * label.Voxels[i]);
            }

            var key = SeededRandom.KeyOf(structure);
            truth[structure] = optics.Camera.ExpectedCounts(photons);
            fluorescence[structure] = optics.Camera.Expose(photons, SeededRandom.StreamSeed(_scene.Seed, key, (ulong)frame, 1));
            controls[structure] = optics.Camera.Expose(unlabelled, SeededRandom.StreamSeed(_scene.Seed, key, (ulong)frame, 2));
        }

        var refractiveIndex = field.Crop(maps.IndexExcess);
        for (var i = 0; i < refractiveIndex.Voxels.Length; i++)
        {
            refractiveIndex.Voxels[i] += (float)_scene.RefractiveIndex.Medium;
        }

        return new FrameImages(
            transmittedLight, brightField.Camera.ExpectedCounts(illumination), fluorescence, controls, truth, refractiveIndex);
    }

    private sealed record FrameImages(
        Volume TransmittedLight,
        Volume TransmittedLightNoiseFree,
        IReadOnlyDictionary<string, Volume> Fluorescence,
        IReadOnlyDictionary<string, Volume> Controls,
        IReadOnlyDictionary<string, Volume> Truth,
        Volume RefractiveIndex);
}
