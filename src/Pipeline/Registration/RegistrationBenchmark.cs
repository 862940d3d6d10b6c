using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Measures <see cref="EmToIfRegistration"/> on trials with known transforms (rotation within ±5°, scale 0.9-1.1,
/// any translation that keeps the moving footprint inside the fixed image): the moving image is cut from the fixed
/// image bicubically, then blurred, given another intensity curve (gamma, gain, offset) and its own noise.
/// Scenes: procedural fibres and nuclei (1500 px in 2048 px at one pixel size, and fibres at the paper's EM scale,
/// 1500 px at 10 nm in 2048 px at 100 nm), and each real fluorescence image given, with the moving size scaled by
/// the same 1500 : 2048 ratio. A benchmark, not a test: it reports, it does not assert.
/// </summary>
public static class RegistrationBenchmark
{
    private const double ProceduralPixelSizeUm = 0.1;
    private const double EmPixelSizeUm = 0.01;

    public static RegistrationBenchmarkReport Run(RegistrationBenchmarkOptions options,
        IProgress<RegistrationBenchmarkTrial>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Trials);
        OpenCvRuntime.EnsureLoaded();
        var scenes = Scenes(options);
        var registration = options.ApplyContentGate ? options.Registration : options.Registration with { MinimumContentFraction = 0 };
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
                progress?.Report(record);
            }

            summaries.Add(RegistrationBenchmarkScene.Summarise(scene.Name, scene.Geometry, trials));
            allTrials.AddRange(trials);
        }

        return new RegistrationBenchmarkReport(options.Seed, options.Trials, Environment.ProcessorCount, Cv2.GetNumThreads(),
            summaries, allTrials);
    }

    private static RegistrationBenchmarkTrial RunTrial(SceneSpecification scene, int index, Random random,
        RegistrationOptions registration, double gateFraction, CancellationToken cancellation)
    {
        var fixedImage = scene.FixedImage(random);
        // Procedural fixed images are noise-free until now; real ones carry their own noise already.
        var fixedNoise = scene.AddFixedNoise ? ImageDegradation.None with { NoiseLevel = 0.01 + 0.02 * random.NextDouble() } : null;
        var pair = SimulatedRegistrationPair.Cut(fixedImage, scene.MovingWidth, scene.MovingHeight, scene.MovingPixelSizeUm,
            random, ImageDegradation.Draw(random), fixedNoise);
        var result = EmToIfRegistration.Register(pair.Moving, pair.Fixed, registration, cancellation);
        double? error = result.Transform is null
            ? null
            : RegistrationError.MeanDisplacement(result.Transform.MovingToFixed, pair.Truth, scene.MovingWidth, scene.MovingHeight);
        var trueRelativeScale = pair.Truth.Scale * fixedImage.PixelSizeUm / scene.MovingPixelSizeUm;
        return new RegistrationBenchmarkTrial(scene.Name, index, result.Outcome, error, result.Timings.TotalSeconds,
            result.Quality, result.ContentFraction, result.ContentFraction < gateFraction, trueRelativeScale,
            pair.Truth.RotationDegrees, result.Reason);
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
            Procedural($"fibers-{movingSize}-in-{fixedSize}", sameScale, ProceduralSceneKind.Fibers, fixedSize, movingSize, ProceduralPixelSizeUm),
            Procedural($"nuclei-{movingSize}-in-{fixedSize}", sameScale, ProceduralSceneKind.Nuclei, fixedSize, movingSize, ProceduralPixelSizeUm),
            Procedural($"fibers-em-scale-{movingSize}-in-{fixedSize}", emScale, ProceduralSceneKind.Fibers, fixedSize, movingSize, EmPixelSizeUm),
        };
        foreach (var real in options.RealImages)
        {
            var image = real.Image;
            var side = (int)Math.Round(Math.Min(image.Width, image.Height) * (double)movingSize / fixedSize);
            var geometry = FormattableString.Invariant($"{side} px cut from the real {image.Width} x {image.Height} px image");
            scenes.Add(new SceneSpecification($"real-{real.Name}", geometry, _ => image, side, side, image.PixelSizeUm, AddFixedNoise: false));
        }

        return scenes;
    }

    private static SceneSpecification Procedural(string name, string geometry, ProceduralSceneKind kind, int fixedSize,
        int movingSize, double movingPixelSizeUm) =>
        new(name, geometry,
            random => new CalibratedImage(ProceduralScene.Generate(kind, fixedSize, fixedSize, random.Next()), ProceduralPixelSizeUm),
            movingSize, movingSize, movingPixelSizeUm, AddFixedNoise: true);

    private sealed record SceneSpecification(string Name, string Geometry, Func<Random, CalibratedImage> FixedImage,
        int MovingWidth, int MovingHeight, double MovingPixelSizeUm, bool AddFixedNoise);
}
