using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Prediction;

/// <summary>
/// The paper's integrated image (Fig. 1d,e): every structure model applied to the same
/// transmitted-light input, the outputs stacked as channels, for every time point. The result has the
/// input's T, Z, Y, X and voxel size, one channel per structure named after it.
/// </summary>
public sealed class IntegratedPredictor
{
    private readonly IReadOnlyList<StructurePredictor> _structures;

    public IntegratedPredictor(IReadOnlyList<StructurePredictor> structures)
    {
        ArgumentNullException.ThrowIfNull(structures);
        if (structures.Count == 0)
        {
            throw new ArgumentException("At least one structure model is needed.", nameof(structures));
        }

        var duplicate = structures.GroupBy(s => s.Structure, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Structure '{duplicate.Key}' has more than one model; an integrated image has one channel per structure.", nameof(structures));
        }

        _structures = structures;
    }

    public IReadOnlyList<string> Structures => _structures.Select(s => s.Structure).ToArray();

    /// <param name="transmittedLight">The input: exactly one channel (pick it with <see cref="Hyperstack.SelectChannel"/>), any number of time points.</param>
    public IntegratedPrediction Predict(Hyperstack transmittedLight, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transmittedLight);
        if (transmittedLight.Channels != 1)
        {
            throw new ArgumentException(
                $"The transmitted-light input must have one channel, got {transmittedLight.Channels}; select the transmitted-light channel first.",
                nameof(transmittedLight));
        }

        var volumes = new Volume[transmittedLight.Frames * _structures.Count];
        var details = new List<StructurePrediction>();
        for (var t = 0; t < transmittedLight.Frames; t++)
        {
            for (var c = 0; c < _structures.Count; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var prediction = _structures[c].Predict(transmittedLight[t, 0], transmittedLight.VoxelSize, cancellationToken);
                volumes[t * _structures.Count + c] = prediction.Volume;
                details.Add(prediction);
            }
        }

        var image = new Hyperstack(transmittedLight.Frames, _structures.Count, volumes, transmittedLight.VoxelSize,
            Structures, transmittedLight.FrameIntervalSeconds);
        return new IntegratedPrediction(image, details);
    }
}
