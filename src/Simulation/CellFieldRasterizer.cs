using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// Renders the cells of one frame into label densities and a refractive-index map on the padded grid.
/// Cell outlines are the Voronoi regions of the cell centres in the xy plane (an epithelial-like colony),
/// each extruded from the coverslip up to a gently domed apical surface; the membrane is a thin sheet on the
/// Voronoi boundaries, the apical surface and the coverslip. Edges are smooth (logistic, ~0.1 µm) so the
/// densities are well sampled on any grid down to 0.1 µm.
/// </summary>
internal sealed class CellFieldRasterizer
{
    private const double EdgeMicrometres = 0.08;

    private readonly TransmittedLightScene _scene;
    private readonly PaddedField _field;
    private readonly ValueNoise _chromatin;
    private readonly ValueNoise _cytoplasm;

    public CellFieldRasterizer(TransmittedLightScene scene, PaddedField field)
    {
        _scene = scene;
        _field = field;
        _chromatin = new ValueNoise(SeededRandom.StreamSeed(scene.Seed, SeededRandom.KeyOf("chromatin")));
        _cytoplasm = new ValueNoise(SeededRandom.StreamSeed(scene.Seed, SeededRandom.KeyOf("cytoplasm")));
    }

    public CellDensityMaps Render(IReadOnlyList<SimulatedCell> cells, IReadOnlyList<(double X, double Y)> emptySites)
    {
        var shape = _field.Padded;
        var columns = ColumnsOf(cells, emptySites);
        var mitochondria = SplatMitochondria(cells);
        var maps = new CellDensityMaps(
            new Volume(shape), new Volume(shape), new Volume(shape), mitochondria, new Volume(shape), new Volume(shape));
        Parallel.For(0, shape.Z, k => RenderPlane(k, cells, columns, maps));
        return maps;
    }

    /// <summary>Per lateral column: which cell owns it, its distance to the nearest cell boundary, and the apical height.</summary>
    private ColumnOwners ColumnsOf(IReadOnlyList<SimulatedCell> cells, IReadOnlyList<(double X, double Y)> emptySites)
    {
        var sites = cells.Select(c => (c.CenterX, c.CenterY, Height: c.Height))
            .Concat(emptySites.Select(s => (CenterX: s.X, CenterY: s.Y, Height: 0.0)))
            .ToArray();
        var (height, width) = (_field.Padded.Y, _field.Padded.X);
        var owners = new ColumnOwners(height * width);
        var spacing = _scene.CellSpacingMicrometres;
        Parallel.For(0, height, j =>
        {
            var y = _field.Y(j);
            for (var i = 0; i < width; i++)
            {
                var x = _field.X(i);
                var (first, second) = (-1, -1);
                var (firstDistance, secondDistance) = (double.MaxValue, double.MaxValue);
                for (var s = 0; s < sites.Length; s++)
                {
                    var d = Square(x - sites[s].CenterX) + Square(y - sites[s].CenterY);
                    if (d < firstDistance)
                    {
                        (second, secondDistance) = (first, firstDistance);
                        (first, firstDistance) = (s, d);
                    }
                    else if (d < secondDistance)
                    {
                        (second, secondDistance) = (s, d);
                    }
                }

                // Exact distance to the bisector between the two nearest centres.
                var separation = Math.Sqrt(Square(sites[first].CenterX - sites[second].CenterX) + Square(sites[first].CenterY - sites[second].CenterY));
                var boundary = (secondDistance - firstDistance) / (2 * separation);
                var index = j * width + i;
                owners.Cell[index] = first < cells.Count ? first : -1;
                owners.Boundary[index] = boundary;
                owners.Top[index] = sites[first].Height * (0.72 + 0.28 * (1 - Math.Exp(-boundary / (0.12 * spacing))));
                owners.WallTop[index] = 0.72 * Math.Max(sites[first].Height, sites[second].Height);
            }
        });
        return owners;
    }

    private void RenderPlane(int k, IReadOnlyList<SimulatedCell> cells, ColumnOwners columns, CellDensityMaps maps)
    {
        var index = _scene.RefractiveIndex;
        var voxel = _field.VoxelSize;
        var lateralSheet = Math.Max(0.08, 0.5 * Math.Max(voxel.X, voxel.Y));
        var axialSheet = Math.Max(0.08, 0.5 * voxel.Z);
        var baseZ = _scene.CoverslipHeightMicrometres;
        var z = _field.Z(k);
        var (height, width) = (_field.Padded.Y, _field.Padded.X);
        var planeOffset = k * height * width;
        for (var j = 0; j < height; j++)
        {
            var y = _field.Y(j);
            for (var i = 0; i < width; i++)
            {
                var column = j * width + i;
                var voxelIndex = planeOffset + column;
                var x = _field.X(i);
                var owner = columns.Cell[column];
                var boundary = columns.Boundary[column];
                var top = baseZ + columns.Top[column];

                var wallTop = columns.WallTop[column];
                var wall = wallTop > 0 ? Gaussian(boundary, lateralSheet) * Logistic(baseZ + wallTop - z) * Logistic(z - baseZ) : 0;
                if (owner < 0)
                {
                    maps.Membrane.Voxels[voxelIndex] = (float)wall;
                    maps.IndexExcess.Voxels[voxelIndex] = (float)(wall * (index.Membrane - index.Medium));
                    maps.Mitochondria.Voxels[voxelIndex] = 0;
                    continue;
                }

                var cell = cells[owner];
                var body = Logistic(z - baseZ) * Logistic(top - z);
                var membrane = Math.Min(1.0, wall + Gaussian(z - top, axialSheet) + Gaussian(z - baseZ, axialSheet));

                var (nucleus, chromatin, nucleolus) = NucleusAt(cell, x, y, z, boundary);
                var cytoplasmTexture = _cytoplasm.Sample(
                    (x - cell.CenterX) / 0.5 + 41.3 * cell.Id, (y - cell.CenterY) / 0.5, z / 0.5);
                var mitochondrion = maps.Mitochondria.Voxels[voxelIndex] * (1 - nucleus) * body;

                var cytoplasmIndex = index.Cytoplasm - index.Medium + index.CytoplasmVariation * cytoplasmTexture;
                var nucleusIndex = index.Nucleus - index.Medium + index.ChromatinVariation * chromatin
                    + nucleolus * (index.Nucleoli - index.Nucleus);
                var inside = cytoplasmIndex + nucleus * (nucleusIndex - cytoplasmIndex)
                    + mitochondrion * (index.Mitochondria - index.Cytoplasm);

                maps.CellBody.Voxels[voxelIndex] = (float)body;
                maps.Membrane.Voxels[voxelIndex] = (float)membrane;
                maps.Mitochondria.Voxels[voxelIndex] = (float)mitochondrion;
                maps.Nucleoli.Voxels[voxelIndex] = (float)(nucleus * nucleolus);
                maps.Dna.Voxels[voxelIndex] = (float)(nucleus * Math.Clamp(0.75 + 0.45 * chromatin, 0.15, 1.4) * (1 - 0.7 * nucleolus));
                maps.IndexExcess.Voxels[voxelIndex] = (float)(body * inside + membrane * (index.Membrane - index.Cytoplasm));
            }
        }
    }

    /// <summary>Nucleus occupancy (0..1), chromatin texture (about -1..1) and nucleolus occupancy (0..1) at one point.</summary>
    private (double Nucleus, double Chromatin, double Nucleolus) NucleusAt(SimulatedCell cell, double x, double y, double z, double boundary)
    {
        var shape = cell.Nucleus;
        if (Math.Abs(z - shape.Center.Z) > shape.SemiAxisC + 0.5)
        {
            return (0, 0, 0);
        }

        var radius = Math.Sqrt(shape.NormalizedRadiusSquared(x, y, z));
        if (radius > 1.5)
        {
            return (0, 0, 0);
        }

        // The nucleus stays inside its own cell even where a crowded neighbour pushes the outline in.
        var nucleus = Logistic((1 - radius) * shape.MeanRadius) * Logistic(boundary - 0.35);
        var chromatin = _chromatin.Fractal(
            (x - shape.Center.X) / 0.7 + 31.7 * cell.Id, (y - shape.Center.Y) / 0.7, (z - shape.Center.Z) / 0.7, 3);
        var nucleolus = 0.0;
        foreach (var sphere in cell.Nucleoli)
        {
            var distance = Math.Sqrt(sphere.Center.DistanceSquaredTo(new Point3(x, y, z)));
            nucleolus = Math.Max(nucleolus, Logistic(sphere.Radius - distance));
        }

        return (nucleus, 1.6 * chromatin, nucleolus);
    }

    /// <summary>Draws every tubule as a tube of Gaussian cross-section into a padded volume (maximum where tubes cross).</summary>
    private Volume SplatMitochondria(IReadOnlyList<SimulatedCell> cells)
    {
        var volume = new Volume(_field.Padded);
        var voxel = _field.VoxelSize;
        foreach (var tubule in cells.SelectMany(c => c.Mitochondria))
        {
            var sigma = Math.Max(tubule.Radius, 0.5 * Math.Min(voxel.X, Math.Min(voxel.Y, voxel.Z)));
            var reach = 3 * sigma;
            for (var s = 0; s + 1 < tubule.Points.Count; s++)
            {
                var (a, b) = (tubule.Points[s], tubule.Points[s + 1]);
                var (i0, i1) = VoxelRange(Math.Min(a.X, b.X) - reach, Math.Max(a.X, b.X) + reach, voxel.X, _field.MarginX, _field.Padded.X);
                var (j0, j1) = VoxelRange(Math.Min(a.Y, b.Y) - reach, Math.Max(a.Y, b.Y) + reach, voxel.Y, _field.MarginY, _field.Padded.Y);
                var (k0, k1) = VoxelRange(Math.Min(a.Z, b.Z) - reach, Math.Max(a.Z, b.Z) + reach, voxel.Z, 0, _field.Padded.Z);
                for (var k = k0; k <= k1; k++)
                {
                    for (var j = j0; j <= j1; j++)
                    {
                        for (var i = i0; i <= i1; i++)
                        {
                            var distanceSquared = SegmentDistanceSquared(new Point3(_field.X(i), _field.Y(j), _field.Z(k)), a, b);
                            var value = (float)Math.Exp(-0.5 * distanceSquared / (sigma * sigma));
                            var at = (k * _field.Padded.Y + j) * _field.Padded.X + i;
                            volume.Voxels[at] = Math.Max(volume.Voxels[at], value);
                        }
                    }
                }
            }
        }

        return volume;
    }

    private static (int First, int Last) VoxelRange(double min, double max, double size, int margin, int count) =>
        (Math.Max(0, (int)Math.Floor(min / size) + margin), Math.Min(count - 1, (int)Math.Ceiling(max / size) + margin));

    private static double SegmentDistanceSquared(Point3 p, Point3 a, Point3 b)
    {
        var (abx, aby, abz) = (b.X - a.X, b.Y - a.Y, b.Z - a.Z);
        var lengthSquared = abx * abx + aby * aby + abz * abz;
        var t = lengthSquared > 0
            ? Math.Clamp(((p.X - a.X) * abx + (p.Y - a.Y) * aby + (p.Z - a.Z) * abz) / lengthSquared, 0, 1)
            : 0;
        return p.DistanceSquaredTo(new Point3(a.X + t * abx, a.Y + t * aby, a.Z + t * abz));
    }

    private static double Logistic(double distance)
    {
        var u = distance / EdgeMicrometres;
        return u > 20 ? 1 : u < -20 ? 0 : 1 / (1 + Math.Exp(-u));
    }

    private static double Gaussian(double distance, double sigma)
    {
        var u = distance / sigma;
        return u * u > 40 ? 0 : Math.Exp(-0.5 * u * u);
    }

    private static double Square(double value) => value * value;

    private sealed class ColumnOwners(int count)
    {
        public int[] Cell { get; } = new int[count];

        public double[] Boundary { get; } = new double[count];

        /// <summary>Height of the owning cell's apical surface above the coverslip.</summary>
        public double[] Top { get; } = new double[count];

        /// <summary>How high the lateral membrane between the two nearest cells reaches above the coverslip.</summary>
        public double[] WallTop { get; } = new double[count];
    }
}
