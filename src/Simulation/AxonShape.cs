namespace LabelFree.Simulation;

/// <summary>
/// An axon's profile with its orientation's sine and cosine worked out once: rendering evaluates the radial
/// coordinate millions of times, and trigonometry per pixel would dominate the cost.
/// </summary>
internal readonly struct AxonShape
{
    private readonly double _cos;
    private readonly double _sin;

    public AxonShape(Axon axon)
    {
        Axon = axon;
        (_sin, _cos) = Math.SinCos(axon.AngleRadians);
    }

    public Axon Axon { get; }

    /// <summary>See <see cref="Axon.RadialCoordinate"/>.</summary>
    public double RadialCoordinate(double x, double y)
    {
        var (dx, dy) = (x - Axon.CenterX, y - Axon.CenterY);
        var u = (_cos * dx + _sin * dy) / (1 + Axon.Elongation);
        var v = (-_sin * dx + _cos * dy) / (1 - Axon.Elongation);
        return Math.Sqrt(u * u + v * v);
    }
}
