namespace LabelFree.Simulation;

/// <summary>
/// One axon cut across, in micrometres: a slightly elliptical profile of radius <see cref="Radius"/>, wrapped
/// (when <see cref="MyelinThickness"/> &gt; 0) in a ring of compact myelin out to <see cref="OuterRadius"/>.
/// </summary>
public readonly record struct Axon(double CenterX, double CenterY, double Radius, double MyelinThickness, double Elongation, double AngleRadians)
{
    public double OuterRadius => Radius + MyelinThickness;

    public bool IsMyelinated => MyelinThickness > 0;

    /// <summary>
    /// Radial coordinate of (x, y) in µm: the distance from the centre for a round profile, stretched along the
    /// long axis by (1 + elongation) and squeezed across it by (1 - elongation) for an elliptical one.
    /// </summary>
    public double RadialCoordinate(double x, double y) => new AxonShape(this).RadialCoordinate(x, y);

    /// <summary>Half-width of the axis-aligned box that holds the whole profile, myelin included.</summary>
    public double Reach => OuterRadius * (1 + Elongation);
}
