namespace LabelFree.Simulation;

/// <summary>
/// An ellipsoid in micrometres with its axial semi-axis along z and its lateral semi-axes turned by
/// <see cref="AngleRadians"/> in the xy plane: the shape of an adherent cell's nucleus.
/// </summary>
public readonly record struct Ellipsoid(Point3 Center, double SemiAxisA, double SemiAxisB, double SemiAxisC, double AngleRadians)
{
    /// <summary>(x/a)² + (y/b)² + (z/c)² in the ellipsoid's own frame: below 1 inside, 1 on the surface.</summary>
    public double NormalizedRadiusSquared(double x, double y, double z)
    {
        var (dx, dy, dz) = (x - Center.X, y - Center.Y, z - Center.Z);
        var (cos, sin) = (Math.Cos(AngleRadians), Math.Sin(AngleRadians));
        var u = (cos * dx + sin * dy) / SemiAxisA;
        var v = (-sin * dx + cos * dy) / SemiAxisB;
        var w = dz / SemiAxisC;
        return u * u + v * v + w * w;
    }

    /// <summary>The geometric mean of the semi-axes: converts a normalised radius into an approximate distance.</summary>
    public double MeanRadius => Math.Cbrt(SemiAxisA * SemiAxisB * SemiAxisC);

    public Ellipsoid Translated(double dx, double dy) => this with { Center = Center.Translated(dx, dy) };
}
