using LabelFree.Messages;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Worker.Consumers;

/// <summary>A structure model loaded, verified and warmed up, ready to predict.</summary>
/// <param name="ModelId">"structure/version" (the bundle folder below models/).</param>
public sealed record LoadedStructureModel(
    string Structure,
    Modality Modality,
    string ModelId,
    string WeightsSha256,
    StructurePredictor Predictor)
{
    public ManifestModel Describe() => new(Structure, ModelId, WeightsSha256);
}
