namespace LabelFree.Simulation;

/// <summary>A thin tube along a polyline, in micrometres: a mitochondrion.</summary>
public sealed record Tubule(IReadOnlyList<Point3> Points, double Radius)
{
    public Tubule Translated(double dx, double dy) => this with { Points = Points.Select(p => p.Translated(dx, dy)).ToArray() };
}
