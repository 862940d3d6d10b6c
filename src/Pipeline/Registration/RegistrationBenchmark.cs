using LabelFree.Simulation;
using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Measures <see cref="EmToIfRegistration"/> on trials with known transforms (rotation within ±5°, scale 0.9-1.1,
/// any translation that keeps the moving footprint inside the fixed image): the moving image is cut from the fixed
/// image bicubically, then blurred, given another intensity curve (gamma, gain, offset) and its own noise.
/// Scenes: the paper's geometry from <see cref="RegistrationSceneSimulator"/> (a 1500 px IF-like prediction at 10 nm
/// rendered from the same simulated nerve tissue as a 2048 px MBP image at 100 nm, with its own blur, intensity curve
/// and noise); procedural fibres and nuclei, 1500 px in 2048 px at one pixel size; and each real fluorescence image
/// given, with the moving size scaled by the same 1500 : 2048 ratio. A negative control pairs a simulated moving image
/// with the fixed image of other tissue: any Registered outcome there is a false claim. A benchmark, not a test: it
/// reports, it does not assert.
/// </summary>
public static class RegistrationBenchmark
{
    private const double ProceduralPixelSizeUm = 0.1;
    private const double EmPixelSizeUm = 0.01;
    private const double MaximumRotationDegrees = 5;
    private const double MaximumScaleDeviation = 0.1;

    /// <param name="onTrial">Called after each trial, on the calling thread (e.g. to print progress).</param>
    public static RegistrationBenchmarkReport Run(RegistrationBenchmarkOptions options,
        Action<RegistrationBenchmarkTrial>? onTrial = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Trials);
        OpenCvRuntime.EnsureLoaded();
        var scenes = Scenes(options);
        var registration = options.Registration with { ApplyContentGate = options.ApplyContentGate };
        var summaries = new List<RegistrationBenchmarkScene>();
        var allTrials = new List<RegistrationBenchmarkTrial>();
        for (var index = 0; index < scenes.Count; index++)
        {
            var scene = scenes[index];
            var random = new Random(unchecked(options.Seed * 1_000_003 + index));
            var trials = new List<RegistrationBenchmarkTrial>();
            for (var trial = 0; trial < options.Trials; trial++)
            {
                cancellation.ThrowIfCancellationRequested();
                var record = RunTrial(scene, trial, random, registration, options.Registration.MinimumContentFraction, cancellation);
                trials.Add(record);
                onTrial?.Invoke(record);
            }

            summaries.Add(RegistrationBenchmarkScene.Summarise(scene.Name, scene.Geometry, scene.NegativeControl, trials));
            allTrials.AddRange(trials);
        }

        return new RegistrationBenchmarkReport(options.Seed, options.Trials, Environment.ProcessorCount, Cv2.GetNumThreads(),
            summaries, allTrials);
    }

    private static RegistrationBenchmarkTrial RunTrial(SceneSpecification scene, int index, Random random,
        RegistrationOptions registration, double gateFraction, CancellationToken cancellation)
    {
        var pair = scene.Draw(random);
        // CPU time alongside wall time: on a shared machine wall time also measures the neighbours.
        var cpuBefore = ProcessorTime();
        var result = EmToIfRegistration.Register(pair.Moving, pair.Fixed, registration, cancellation);
        var cpuSeconds = (ProcessorTime() - cpuBefore).TotalSeconds;
        double? error = result.Transform is null || scene.NegativeControl
            ? null
            : RegistrationError.MeanDisplacement(result.Transform.MovingToFixed, pair.Truth, pair.Moving.Width, pair.Moving.Height);
        var trueRelativeScale = pair.Truth.Scale * pair.Fixed.PixelSizeUm / pair.Moving.PixelSizeUm;
        return new RegistrationBenchmarkTrial(scene.Name, index, result.Outcome, error, result.Timings.TotalSeconds, cpuSeconds,
            result.Quality, result.ContentFraction, result.ContentFraction <= gateFraction, trueRelativeScale,
            pair.Truth.RotationDegrees, result.Reason);
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static List<SceneSpecification> Scenes(RegistrationBenchmarkOptions options)
    {
        var fixedSize = options.FixedSize;
        var movingSize = options.MovingSize;
        var sameScale = FormattableString.Invariant($"{movingSize} px in {fixedSize} px, both {ProceduralPixelSizeUm} µm/px");
        var emScale = FormattableString.Invariant(
            $"{movingSize} px at {EmPixelSizeUm} µm/px in {fixedSize} px at {ProceduralPixelSizeUm} µm/px ({movingSize * EmPixelSizeUm / ProceduralPixelSizeUm:0} px footprint)");
        var scenes = new List<SceneSpecification>
        {
            new($"simulated-em-if-{movingSize}-in-{fixedSize}", emScale, random => Simulated(fixedSize, movingSize, random)),
            new($"negative-control-{movingSize}-in-{fixedSize}", emScale + "; the moving image comes from other tissue",
                random => OtherTissue(Simulated(fixedSize, movingSize, random), Simulated(fixedSize, movingSize, random)), NegativeControl: true),
            Procedural($"fibers-{movingSize}-in-{fixedSize}", sameScale, ProceduralSceneKind.Fibers, fixedSize, movingSize),
            Procedural($"nuclei-{movingSize}-in-{fixedSize}", sameScale, ProceduralSceneKind.Nuclei, fixedSize, movingSize),
        };
        foreach (var real in options.RealImages)
        {
            var image = real.Image;
            var side = (int)Math.Round(Math.Min(image.Width, image.Height) * (double)movingSize / fixedSize);
            var geometry = FormattableString.Invariant($"{side} px cut from the real {image.Width} x {image.Height} px image");
            // Real images carry their own noise; only the moving cut is degraded.
            scenes.Add(new SceneSpecification($"real-{real.Name}", geometry, random =>
                SimulatedRegistrationPair.Cut(image, side, side, image.PixelSizeUm, random, ImageDegradation.Draw(random))));
        }

        return scenes;
    }

    // The simulator's moving image is rendered from the tissue, not cut from the fixed image: the closest to a model's prediction.
    private static SimulatedRegistrationPair Simulated(int fixedSize, int movingSize, Random random)
    {
        var scene = new RegistrationSceneSimulator(new RegistrationScene
        {
            FixedSize = fixedSize,
            FixedPixelSizeMicrometres = ProceduralPixelSizeUm,
            MovingSize = movingSize,
            MovingPixelSizeMicrometres = EmPixelSizeUm,
            Seed = random.NextInt64(),
            MaximumRotationDegrees = MaximumRotationDegrees,
            MaximumScaleDeviation = MaximumScaleDeviation,
        }).Simulate();
        return new SimulatedRegistrationPair(
            new CalibratedImage(scene.MovingImmunofluorescence, scene.MovingPixelSizeMicrometres),
            new CalibratedImage(scene.FixedImmunofluorescence, scene.FixedPixelSizeMicrometres),
            AffineTransform2D.FromMatrix(scene.Truth.ToMatrix()));
    }

    // The moving image of one scene against the fixed image of another: a correct registration does not exist.
    private static SimulatedRegistrationPair OtherTissue(SimulatedRegistrationPair movingFrom, SimulatedRegistrationPair fixedFrom) =>
        movingFrom with { Fixed = fixedFrom.Fixed };

    // Procedural fixed images are noise-free when drawn, so they get their own noise after the moving image is cut.
    private static SceneSpecification Procedural(string name, string geometry, ProceduralSceneKind kind, int fixedSize, int movingSize) =>
        new(name, geometry, random =>
        {
            var fixedImage = new CalibratedImage(ProceduralScene.Generate(kind, fixedSize, fixedSize, random.Next()), ProceduralPixelSizeUm);
            var fixedNoise = ImageDegradation.None with { NoiseLevel = 0.01 + 0.02 * random.NextDouble() };
            return SimulatedRegistrationPair.Cut(fixedImage, movingSize, movingSize, ProceduralPixelSizeUm, random,
                ImageDegradation.Draw(random), fixedNoise, MaximumRotationDegrees, 1 - MaximumScaleDeviation, 1 + MaximumScaleDeviation);
        });

    private sealed record SceneSpecification(string Name, string Geometry, Func<Random, SimulatedRegistrationPair> Draw,
        bool NegativeControl = false);
}
