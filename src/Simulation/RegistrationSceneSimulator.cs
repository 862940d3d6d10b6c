using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// Simulates an EM → IF registration problem with a known answer. One tissue is rendered three times: on the
/// fixed IF grid, and on the moving grid that <see cref="SimilarityTransform"/> places inside it, once as EM and
/// once as an IF-like prediction with its own blur, intensity curve and noise. Because all three sample the
/// same continuous tissue, warping the moving image by the true transform reproduces the fixed image.
/// </summary>
public sealed class RegistrationSceneSimulator
{
    private readonly RegistrationScene _scene;

    public RegistrationSceneSimulator(RegistrationScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        scene.Validate();
        _scene = scene;
    }

    public SimulatedRegistrationScene Simulate()
    {
        var fixedPixel = _scene.FixedPixelSizeMicrometres;
        var fixedGrid = TissueGrid.Upright(_scene.FixedSize, _scene.FixedSize, fixedPixel);
        var truth = _scene.Transform ?? DrawTransform();
        var movingGrid = new TissueGrid(
            _scene.MovingSize, _scene.MovingSize, fixedPixel * truth.Scale, truth.RotationDegrees * Math.PI / 180,
            fixedPixel * truth.TranslationX, fixedPixel * truth.TranslationY);
        RequireInside(truth);

        const double margin = 3; // µm of tissue beyond the fixed image so blurs near its edge see real axons.
        var extent = _scene.FixedSize * fixedPixel;
        var tissue = MyelinatedTissue.Generate(
            -margin, -margin, extent + margin, extent + margin, _scene.Tissue, SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf("tissue")));

        var optics = _scene.FixedOptics;
        var fixedImage = optics.Camera.Expose(
            optics.ExpectedPhotons(tissue, fixedGrid), SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf("fixed noise")));
        var moving = PredictionLike(MyelinMap.RenderBlurred(tissue, movingGrid, _scene.MovingBlurMicrometres));
        var electronMicrograph = _scene.Detector.Record(
            ElectronContrast.Render(tissue, movingGrid), movingGrid.PixelSizeMicrometres, SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf("em noise")));
        return new SimulatedRegistrationScene(fixedImage, moving, electronMicrograph, truth, fixedPixel, _scene.MovingPixelSizeMicrometres);
    }

    /// <summary>A random rotation and scale error, and a translation that keeps the whole moving footprint inside the fixed image.</summary>
    private SimilarityTransform DrawTransform()
    {
        var random = SeededRandom.ForStream(_scene.Seed, SeededRandom.KeyOf("transform"));
        var rotation = _scene.MaximumRotationDegrees * random.NextDouble(-1, 1);
        var scale = _scene.MovingPixelSizeMicrometres / _scene.FixedPixelSizeMicrometres
            * (1 + _scene.MaximumScaleDeviation * random.NextDouble(-1, 1));
        var centred = new SimilarityTransform(scale, rotation, 0, 0);
        var last = _scene.MovingSize - 1;
        var corners = new[] { centred.Apply(0, 0), centred.Apply(last, 0), centred.Apply(0, last), centred.Apply(last, last) };
        var (minX, maxX) = (corners.Min(c => c.X), corners.Max(c => c.X));
        var (minY, maxY) = (corners.Min(c => c.Y), corners.Max(c => c.Y));
        var border = 0.05 * _scene.FixedSize;
        var (lowX, highX) = (border - minX, _scene.FixedSize - 1 - border - maxX);
        var (lowY, highY) = (border - minY, _scene.FixedSize - 1 - border - maxY);
        if (highX < lowX || highY < lowY)
        {
            throw new ArgumentException(FormattableString.Invariant(
                $"The moving region ({maxX - minX:0} x {maxY - minY:0} fixed pixels) does not fit inside the {_scene.FixedSize}-pixel fixed image with a 5% border."));
        }

        return centred with { TranslationX = random.NextDouble(lowX, highX), TranslationY = random.NextDouble(lowY, highY) };
    }

    /// <summary>Every moving pixel centre must map onto the fixed image, or the scene would have no answer there.</summary>
    private void RequireInside(SimilarityTransform transform)
    {
        var last = _scene.MovingSize - 1;
        foreach (var (x, y) in new[] { (0, 0), (last, 0), (0, last), (last, last) })
        {
            var (fixedX, fixedY) = transform.Apply(x, y);
            if (fixedX < 0 || fixedY < 0 || fixedX > _scene.FixedSize - 1 || fixedY > _scene.FixedSize - 1)
            {
                throw new ArgumentException(FormattableString.Invariant(
                    $"The transform {transform} maps moving pixel ({x}, {y}) to ({fixedX:0.#}, {fixedY:0.#}), outside the {_scene.FixedSize}-pixel fixed image."));
            }
        }
    }

    /// <summary>What a trained model might output: the blurred myelin through a gamma curve, gain, offset and mild noise.</summary>
    private Volume PredictionLike(Volume blurredMyelin)
    {
        var image = new Volume(blurredMyelin.Shape);
        var (rows, width) = (image.Height, image.Width);
        var seed = SeededRandom.StreamSeed(_scene.Seed, SeededRandom.KeyOf("moving noise"));
        Parallel.For(0, rows, row =>
        {
            var random = new SeededRandom(SeededRandom.Mix(seed ^ SeededRandom.Mix((ulong)row + 1)));
            for (var i = row * width; i < (row + 1) * width; i++)
            {
                var coverage = Math.Clamp(blurredMyelin.Voxels[i], 0, 1);
                image.Voxels[i] = (float)(_scene.MovingOffset + _scene.MovingGain * Math.Pow(coverage, _scene.MovingGamma)
                    + _scene.MovingNoise * random.NextGaussian());
            }
        });
        return image;
    }
}
