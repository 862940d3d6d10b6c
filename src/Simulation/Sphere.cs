namespace LabelFree.Simulation;

/// <summary>A sphere in micrometres: a nucleolus.</summary>
public readonly record struct Sphere(Point3 Center, double Radius)
{
    public Sphere Translated(double dx, double dy) => this with { Center = Center.Translated(dx, dy) };
}
