namespace LabelFree.Simulation;

/// <summary>A position in micrometres (x, y lateral, z axial, z measured up from the bottom plane of the stack).</summary>
public readonly record struct Point3(double X, double Y, double Z)
{
    public Point3 Translated(double dx, double dy) => new(X + dx, Y + dy, Z);

    public double DistanceSquaredTo(Point3 other)
    {
        var (dx, dy, dz) = (X - other.X, Y - other.Y, Z - other.Z);
        return dx * dx + dy * dy + dz * dz;
    }
}
