namespace LabelFree.Simulation;

/// <summary>
/// The known geometry of one simulated cell in one frame, in micrometres in the image's frame
/// (x = column * voxel X, y = row * voxel Y, z = plane * voxel Z). The cell's outline is its Voronoi region
/// around (<see cref="CenterX"/>, <see cref="CenterY"/>) among all cells; its apical surface rises to
/// <see cref="Height"/> above the coverslip.
/// </summary>
public sealed record SimulatedCell(
    int Id,
    double CenterX,
    double CenterY,
    double Height,
    Ellipsoid Nucleus,
    IReadOnlyList<Sphere> Nucleoli,
    IReadOnlyList<Tubule> Mitochondria)
{
    public SimulatedCell Translated(double dx, double dy) => this with
    {
        CenterX = CenterX + dx,
        CenterY = CenterY + dy,
        Nucleus = Nucleus.Translated(dx, dy),
        Nucleoli = Nucleoli.Select(n => n.Translated(dx, dy)).ToArray(),
        Mitochondria = Mitochondria.Select(m => m.Translated(dx, dy)).ToArray(),
    };
}
