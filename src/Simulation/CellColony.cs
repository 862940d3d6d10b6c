using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// The cells of one simulated field and how they move: a jittered hexagonal lattice of sites (some left
/// empty), each holding a cell with a nucleus, nucleoli and mitochondria. Each cell drifts at its own
/// velocity plus a common stage drift, so frame t is frame 0 with every cell translated.
/// </summary>
internal sealed class CellColony
{
    private readonly SimulatedCell[] _cells;
    private readonly (double X, double Y)[] _emptySites;
    private readonly (double X, double Y)[] _velocities;
    private readonly (double X, double Y) _stageDrift;

    private CellColony(SimulatedCell[] cells, (double X, double Y)[] emptySites, (double X, double Y)[] velocities, (double X, double Y) stageDrift)
    {
        _cells = cells;
        _emptySites = emptySites;
        _velocities = velocities;
        _stageDrift = stageDrift;
    }

    /// <summary>
    /// Cells covering the lateral rectangle [minX, maxX] x [minY, maxY] (µm) and one spacing beyond it, so that
    /// cell outlines near the edge are decided by neighbours that are really there.
    /// </summary>
    public static CellColony Generate(TransmittedLightScene scene, double minX, double maxX, double minY, double maxY)
    {
        var random = SeededRandom.ForStream(scene.Seed, SeededRandom.KeyOf("colony"));
        var spacing = scene.CellSpacingMicrometres;
        var rowStep = spacing * Math.Sqrt(3) / 2;
        var originX = minX - spacing * (1 + random.NextDouble());
        var originY = minY - rowStep * (1 + random.NextDouble());
        var stackHeight = scene.Shape.Z * scene.VoxelSize.Z;
        var room = stackHeight - scene.CoverslipHeightMicrometres - Math.Min(0.8, 0.1 * stackHeight);

        var cells = new List<SimulatedCell>();
        var empty = new List<(double X, double Y)>();
        var velocities = new List<(double X, double Y)>();
        var row = 0;
        for (var y = originY; y <= maxY + 2 * spacing; y += rowStep, row++)
        {
            for (var x = originX + (row % 2) * spacing / 2; x <= maxX + 2 * spacing; x += spacing)
            {
                var siteX = x + 0.22 * spacing * random.NextGaussian();
                var siteY = y + 0.22 * spacing * random.NextGaussian();
                if (random.NextDouble() < scene.EmptySiteFraction)
                {
                    empty.Add((siteX, siteY));
                    continue;
                }

                var cell = NewCell(cells.Count, siteX, siteY, room, scene, random);
                cells.Add(cell);
                var direction = random.NextDouble(0, 2 * Math.PI);
                var speed = scene.CellDriftMicrometresPerFrame * random.NextDouble(0.4, 1.2);
                velocities.Add((speed * Math.Cos(direction), speed * Math.Sin(direction)));
            }
        }

        var stageDirection = random.NextDouble(0, 2 * Math.PI);
        var stageDrift = (0.5 * scene.CellDriftMicrometresPerFrame * Math.Cos(stageDirection),
            0.5 * scene.CellDriftMicrometresPerFrame * Math.Sin(stageDirection));
        return new CellColony(cells.ToArray(), empty.ToArray(), velocities.ToArray(), stageDrift);
    }

    /// <summary>Cells as they are at <paramref name="frame"/>.</summary>
    public IReadOnlyList<SimulatedCell> CellsAt(int frame) => _cells
        .Select((cell, i) => frame == 0
            ? cell
            : cell.Translated(frame * (_velocities[i].X + _stageDrift.X), frame * (_velocities[i].Y + _stageDrift.Y)))
        .ToArray();

    /// <summary>Lattice sites without a cell at <paramref name="frame"/>: their Voronoi regions are free medium.</summary>
    public IReadOnlyList<(double X, double Y)> EmptySitesAt(int frame) => _emptySites
        .Select(site => (site.X + frame * _stageDrift.X, site.Y + frame * _stageDrift.Y))
        .ToArray();

    private static SimulatedCell NewCell(int id, double x, double y, double room, TransmittedLightScene scene, SeededRandom random)
    {
        var spacing = scene.CellSpacingMicrometres;
        var height = room * random.NextDouble(0.7, 0.95);
        var baseZ = scene.CoverslipHeightMicrometres;

        var a = spacing * random.NextDouble(0.3, 0.36);
        var b = a * random.NextDouble(0.8, 1.0);
        var c = Math.Max(0.5, 0.36 * height);
        var nucleusCenter = new Point3(
            x + 0.06 * spacing * random.NextGaussian(),
            y + 0.06 * spacing * random.NextGaussian(),
            baseZ + 0.48 * height);
        var nucleus = new Ellipsoid(nucleusCenter, a, b, c, random.NextDouble(0, Math.PI));

        var nucleoli = new Sphere[1 + random.NextInt(3)];
        for (var i = 0; i < nucleoli.Length; i++)
        {
            var (u, v, w) = RandomInUnitBall(random, 0.5);
            var (cos, sin) = (Math.Cos(nucleus.AngleRadians), Math.Sin(nucleus.AngleRadians));
            var (du, dv) = (u * a, v * b);
            nucleoli[i] = new Sphere(
                new Point3(nucleusCenter.X + cos * du - sin * dv, nucleusCenter.Y + sin * du + cos * dv, nucleusCenter.Z + w * c),
                Math.Min(random.NextDouble(0.35, 0.6), 0.4 * c));
        }

        var mitochondria = new Tubule[12 + random.NextInt(8)];
        for (var i = 0; i < mitochondria.Length; i++)
        {
            mitochondria[i] = NewMitochondrion(x, y, baseZ, height, spacing, nucleus, random);
        }

        return new SimulatedCell(id, x, y, height, nucleus, nucleoli, mitochondria);
    }

    /// <summary>A short, gently bending tubule in the cytoplasm, mostly parallel to the coverslip.</summary>
    private static Tubule NewMitochondrion(double x, double y, double baseZ, double height, double spacing, Ellipsoid nucleus, SeededRandom random)
    {
        Point3 start;
        var attempts = 0;
        do
        {
            var angle = random.NextDouble(0, 2 * Math.PI);
            var radius = spacing * Math.Sqrt(random.NextDouble(0.05, 0.16));
            start = new Point3(x + radius * Math.Cos(angle), y + radius * Math.Sin(angle), baseZ + height * random.NextDouble(0.15, 0.5));
        }
        while (nucleus.NormalizedRadiusSquared(start.X, start.Y, start.Z) < 1.4 && ++attempts < 20);

        var points = new Point3[3 + random.NextInt(4)];
        points[0] = start;
        var heading = random.NextDouble(0, 2 * Math.PI);
        for (var i = 1; i < points.Length; i++)
        {
            heading += 0.5 * random.NextGaussian();
            const double step = 0.5;
            var previous = points[i - 1];
            points[i] = new Point3(
                previous.X + step * Math.Cos(heading),
                previous.Y + step * Math.Sin(heading),
                Math.Clamp(previous.Z + 0.12 * random.NextGaussian(), baseZ + 0.3, baseZ + height - 0.3));
        }

        return new Tubule(points, random.NextDouble(0.1, 0.16));
    }

    private static (double U, double V, double W) RandomInUnitBall(SeededRandom random, double maxRadius)
    {
        while (true)
        {
            var (u, v, w) = (random.NextDouble(-1, 1), random.NextDouble(-1, 1), random.NextDouble(-1, 1));
            if (u * u + v * v + w * w <= 1)
            {
                return (u * maxRadius, v * maxRadius, w * maxRadius);
            }
        }
    }
}
