using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// Simulates registered 2D EM / MBP-IF pairs from one <see cref="MyelinatedTissue"/>: the EM shows membranes,
/// organelles and dark myelin rings; the IF is the myelin coverage through a wide PSF with shot noise.
/// Deterministic by seed.
/// </summary>
public sealed class ElectronMicrographSimulator
{
    private readonly ElectronMicrographScene _scene;

    public ElectronMicrographSimulator(ElectronMicrographScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        scene.Validate();
        _scene = scene;
    }

    public SimulatedElectronMicrograph Simulate()
    {
        var pixel = _scene.PixelSizeMicrometres;
        var grid = TissueGrid.Upright(_scene.Width, _scene.Height, pixel);
        var (minX, minY, maxX, maxY) = grid.Bounds();
        const double margin = 3; // µm of tissue beyond the edges: profiles cut by the border are whole axons.
        var seed = SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf("tissue"));
        var tissue = MyelinatedTissue.Generate(minX - margin, minY - margin, maxX + margin, maxY + margin, _scene.Tissue, seed);

        var electronMicrograph = _scene.Detector.Record(
            ElectronContrast.Render(tissue, grid), pixel, SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf("em noise")));
        var myelin = MyelinMap.Render(tissue, grid);
        var optics = _scene.Immunofluorescence;
        var photons = optics.ExpectedPhotons(tissue, grid);
        return new SimulatedElectronMicrograph(
            electronMicrograph,
            optics.Camera.Expose(photons, SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf("if noise"))),
            optics.Camera.ExpectedCounts(photons),
            myelin,
            pixel,
            tissue);
    }
}
