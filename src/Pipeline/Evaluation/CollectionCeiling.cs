namespace LabelFree.Pipeline.Evaluation;

/// <summary>
/// The C_max of a collection of images: the mean of the images' ceilings, as the paper reports per structure.
/// Images whose ceiling is undefined are left out and counted.
/// </summary>
public sealed record CollectionCeiling(double? MeanCMax, int ImagesUsed, int ImagesUndefined)
{
    public static CollectionCeiling Of(IEnumerable<CorrelationCeiling> ceilings)
    {
        ArgumentNullException.ThrowIfNull(ceilings);
        var sum = 0.0;
        int used = 0, undefined = 0;
        foreach (var ceiling in ceilings)
        {
            if (ceiling.CMax is { } value)
            {
                sum += value;
                used++;
            }
            else
            {
                undefined++;
            }
        }

        return new CollectionCeiling(used > 0 ? sum / used : null, used, undefined);
    }
}
