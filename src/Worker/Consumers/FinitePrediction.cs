using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// The check between inference and everything after it (scoring, registration, encoding, upload): a
/// prediction with NaN or infinite voxels stops the stack as a compute defect there, named, instead of
/// failing somewhere downstream or being published.
/// </summary>
public static class FinitePrediction
{
    /// <summary>Checks every structure channel of an integrated prediction, in model order.</summary>
    /// <exception cref="NonFinitePredictionException">A structure's prediction holds NaN or infinite voxels.</exception>
    public static void Require(StackRequest request, IReadOnlyList<LoadedStructureModel> models, Hyperstack prediction)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(prediction);
        for (var c = 0; c < models.Count; c++)
        {
            Require(request, models[c], Enumerable.Range(0, prediction.Frames).Select(t => prediction[t, c]).ToArray());
        }
    }

    /// <summary>Checks one structure's predicted volumes (one per time point).</summary>
    /// <exception cref="NonFinitePredictionException">They hold NaN or infinite voxels.</exception>
    public static void Require(StackRequest request, LoadedStructureModel model, IReadOnlyList<Volume> volumes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(volumes);
        var nonFinite = volumes.Sum(v => v.CountNonFinite());
        if (nonFinite > 0)
        {
            throw new NonFinitePredictionException(request.BatchId, request.StackId, model.Structure, model.ModelId,
                nonFinite, volumes.Sum(v => v.Shape.VoxelCount));
        }
    }
}
