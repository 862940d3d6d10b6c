namespace LabelFree.Pipeline.Registration;

/// <summary>Parameters of OpenCV's calcOpticalFlowFarneback for one refinement level.</summary>
internal sealed record FarnebackSettings(int PyramidLevels, int WindowSize, int Iterations, int PolyN, double PolySigma)
{
    /// <summary>Pixels near the footprint's edge whose flow window and polynomial neighbourhood reach outside it.</summary>
    public int EdgeMargin => WindowSize / 2 + PolyN + 1;
}
