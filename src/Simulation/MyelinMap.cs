using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// Renders how much of each pixel is covered by compact myelin (0..1): the density an MBP immunostain labels.
/// Coverage is the myelin ring seen through a box of one pixel's width along the axon's radius (an analytic
/// area average), so coarse grids (the 100 nm IF grid) get the true coverage instead of aliased rings and every
/// grid of the same tissue agrees with every other up to its own pixel size.
/// </summary>
public static class MyelinMap
{
    /// <summary>Half-width of the softest edge in µm: the ring of a point sample, or of a very fine grid.</summary>
    private const double Edge = 0.005;

    public static Volume Render(MyelinatedTissue tissue, TissueGrid grid)
    {
        ArgumentNullException.ThrowIfNull(tissue);
        var image = new Volume(new VolumeShape(1, grid.Height, grid.Width));
        var halfWidth = HalfWidthFor(grid.PixelSizeMicrometres);
        var (minX, minY, maxX, maxY) = grid.Bounds();
        var myelinated = tissue.AxonsWithin(minX, minY, maxX, maxY).Where(a => a.IsMyelinated).Select(a => new AxonShape(a)).ToArray();

        // Profiles never overlap, so each axon owns its pixels' coverage; partition by rows to write in parallel.
        var (ux, uy, vx, vy) = grid.Steps();
        var rowsPerBand = Math.Max(1, grid.Height / (4 * Environment.ProcessorCount));
        var bands = (grid.Height + rowsPerBand - 1) / rowsPerBand;
        Parallel.For(0, bands, band =>
        {
            var (bandStart, bandEnd) = (band * rowsPerBand, Math.Min(grid.Height, (band + 1) * rowsPerBand) - 1);
            foreach (var shape in myelinated)
            {
                var axon = shape.Axon;
                var (u, v) = grid.ToPixel(axon.CenterX, axon.CenterY);
                var reach = axon.Reach / grid.PixelSizeMicrometres + 1;
                var (v0, v1) = (Math.Max(bandStart, (int)Math.Floor(v - reach)), Math.Min(bandEnd, (int)Math.Ceiling(v + reach)));
                var (u0, u1) = (Math.Max(0, (int)Math.Floor(u - reach)), Math.Min(grid.Width - 1, (int)Math.Ceiling(u + reach)));
                for (var row = v0; row <= v1; row++)
                {
                    for (var column = u0; column <= u1; column++)
                    {
                        var (x, y) = (grid.OriginX + column * ux + row * vx, grid.OriginY + column * uy + row * vy);
                        image.Voxels[row * grid.Width + column] += (float)CoverageAtRadius(axon, shape.RadialCoordinate(x, y), halfWidth);
                    }
                }
            }
        });
        return image;
    }

    /// <summary>
    /// Myelin coverage seen through a Gaussian PSF of <paramref name="sigmaMicrometres"/>. The tissue beyond the
    /// image edge is rendered too and cropped after blurring, so edge pixels see real neighbours, not reflections.
    /// A PSF many pixels wide is applied on a grid a few times coarser (at least 2.5 coarse pixels per sigma) and
    /// interpolated back: the result is smooth at that scale anyway, and a 10 nm EM grid would otherwise need
    /// kernels of hundreds of taps.
    /// </summary>
    public static Volume RenderBlurred(MyelinatedTissue tissue, TissueGrid grid, double sigmaMicrometres)
    {
        ArgumentNullException.ThrowIfNull(tissue);
        var factor = Math.Max(1, (int)Math.Floor(sigmaMicrometres / grid.PixelSizeMicrometres / 2.5));
        if (factor == 1)
        {
            return RenderBlurredOnGrid(tissue, grid, sigmaMicrometres);
        }

        var coarseGrid = grid with
        {
            Width = (grid.Width - 1) / factor + 2,
            Height = (grid.Height - 1) / factor + 2,
            PixelSizeMicrometres = grid.PixelSizeMicrometres * factor,
        };
        var coarse = RenderBlurredOnGrid(tissue, coarseGrid, sigmaMicrometres);
        var image = new Volume(new VolumeShape(1, grid.Height, grid.Width));
        Parallel.For(0, grid.Height, row =>
        {
            var (b, fy) = (row / factor, (double)(row % factor) / factor);
            for (var column = 0; column < grid.Width; column++)
            {
                var (a, fx) = (column / factor, (double)(column % factor) / factor);
                var top = coarse.Voxels[b * coarseGrid.Width + a] * (1 - fx) + coarse.Voxels[b * coarseGrid.Width + a + 1] * fx;
                var bottom = coarse.Voxels[(b + 1) * coarseGrid.Width + a] * (1 - fx) + coarse.Voxels[(b + 1) * coarseGrid.Width + a + 1] * fx;
                image.Voxels[row * grid.Width + column] = (float)(top * (1 - fy) + bottom * fy);
            }
        });
        return image;
    }

    private static Volume RenderBlurredOnGrid(MyelinatedTissue tissue, TissueGrid grid, double sigmaMicrometres)
    {
        var sigma = sigmaMicrometres / grid.PixelSizeMicrometres;
        var margin = (int)Math.Ceiling(4 * sigma) + 1;
        var (originX, originY) = grid.ToTissue(-margin, -margin);
        var padded = grid with { Width = grid.Width + 2 * margin, Height = grid.Height + 2 * margin, OriginX = originX, OriginY = originY };
        var blurred = GaussianBlur.Apply(Render(tissue, padded), 0, sigma, sigma);
        var cropped = new Volume(new VolumeShape(1, grid.Height, grid.Width));
        for (var row = 0; row < grid.Height; row++)
        {
            blurred.Voxels.AsSpan((row + margin) * padded.Width + margin, grid.Width).CopyTo(cropped.Voxels.AsSpan(row * grid.Width, grid.Width));
        }

        return cropped;
    }

    /// <summary>Myelin coverage (0..1) of a point: 1 inside the ring of one axon, 0 outside, with a 10 nm soft edge.</summary>
    public static double Coverage(Axon axon, double x, double y) => CoverageAtRadius(axon, axon.RadialCoordinate(x, y), Edge);

    /// <summary>Box half-width (µm) that averages over one pixel of this size.</summary>
    internal static double HalfWidthFor(double pixelSizeMicrometres) => Math.Max(Edge, 0.5 * pixelSizeMicrometres);

    /// <summary>The fraction of [radial - h, radial + h] that lies inside the ring [Radius, OuterRadius].</summary>
    internal static double CoverageAtRadius(Axon axon, double radial, double halfWidth)
    {
        var inside = Math.Min(radial + halfWidth, axon.OuterRadius) - Math.Max(radial - halfWidth, axon.Radius);
        return Math.Clamp(inside / (2 * halfWidth), 0, 1);
    }
}
