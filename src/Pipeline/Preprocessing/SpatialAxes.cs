namespace LabelFree.Pipeline.Preprocessing;

/// <summary>
/// The spatial axes a pre-processing step may change. A 2D model works on Y and X only, so a Z = 1 image
/// (or a stack fed slice by slice) keeps its Z untouched.
/// </summary>
[Flags]
public enum SpatialAxes
{
    None = 0,
    Z = 1,
    Y = 2,
    X = 4,
    YX = Y | X,
    All = Z | Y | X,
}
