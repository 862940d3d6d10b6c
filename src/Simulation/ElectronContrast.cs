using LabelFree.Pipeline.Imaging;

namespace LabelFree.Simulation;

/// <summary>
/// Renders a noise-free transmission electron micrograph of a <see cref="MyelinatedTissue"/> in 8-bit grey
/// levels (dark = electron dense). Neuropil: Voronoi-like cell profiles with dark membrane lines, granular
/// cytoplasm of varying density and mitochondria with cristae (see <see cref="NeuropilLayout"/>). Axons: light
/// axoplasm, a dark axolemma and, when myelinated, a dark ring whose extent is exactly the coverage that
/// <see cref="MyelinMap"/> gives the IF image.
/// </summary>
public static class ElectronContrast
{
    public static Volume Render(MyelinatedTissue tissue, TissueGrid grid)
    {
        ArgumentNullException.ThrowIfNull(tissue);
        var image = new Volume(new VolumeShape(1, grid.Height, grid.Width));
        var lineWidth = Math.Max(0.006, 0.4 * grid.PixelSizeMicrometres);
        var (minX, minY, maxX, maxY) = grid.Bounds();
        var neuropil = new NeuropilLayout(tissue.Seed, minX, minY, maxX, maxY, lineWidth);
        var (ux, uy, vx, vy) = grid.Steps();
        Parallel.For(0, grid.Height, row =>
        {
            for (var column = 0; column < grid.Width; column++)
            {
                var (x, y) = (grid.OriginX + column * ux + row * vx, grid.OriginY + column * uy + row * vy);
                image.Voxels[row * grid.Width + column] = (float)(255 * neuropil.Transmission(x, y));
            }
        });

        PaintAxons(image, tissue, grid, neuropil, lineWidth);
        return image;
    }

    /// <summary>Axoplasm, axolemma and myelin drawn over the neuropil; profiles never overlap, so bands of rows are independent.</summary>
    private static void PaintAxons(Volume image, MyelinatedTissue tissue, TissueGrid grid, NeuropilLayout neuropil, double lineWidth)
    {
        var (minX, minY, maxX, maxY) = grid.Bounds();
        var axons = tissue.AxonsWithin(minX, minY, maxX, maxY).Select(a => new AxonShape(a)).ToArray();
        var halfWidth = MyelinMap.HalfWidthFor(grid.PixelSizeMicrometres);
        var (ux, uy, vx, vy) = grid.Steps();
        var rowsPerBand = Math.Max(1, grid.Height / (4 * Environment.ProcessorCount));
        var bands = (grid.Height + rowsPerBand - 1) / rowsPerBand;
        Parallel.For(0, bands, band =>
        {
            var (bandStart, bandEnd) = (band * rowsPerBand, Math.Min(grid.Height, (band + 1) * rowsPerBand) - 1);
            foreach (var shape in axons)
            {
                var axon = shape.Axon;
                var (u, v) = grid.ToPixel(axon.CenterX, axon.CenterY);
                var reach = (axon.Reach + 4 * lineWidth) / grid.PixelSizeMicrometres + 1;
                var (v0, v1) = (Math.Max(bandStart, (int)Math.Floor(v - reach)), Math.Min(bandEnd, (int)Math.Ceiling(v + reach)));
                var (u0, u1) = (Math.Max(0, (int)Math.Floor(u - reach)), Math.Min(grid.Width - 1, (int)Math.Ceiling(u + reach)));
                for (var row = v0; row <= v1; row++)
                {
                    for (var column = u0; column <= u1; column++)
                    {
                        var (x, y) = (grid.OriginX + column * ux + row * vx, grid.OriginY + column * uy + row * vy);
                        var radial = shape.RadialCoordinate(x, y);
                        if (radial > axon.OuterRadius + 6 * lineWidth)
                        {
                            continue;
                        }

                        var index = row * grid.Width + column;
                        var background = image.Voxels[index] / 255.0;
                        image.Voxels[index] = (float)(255 * AxonTransmission(axon, radial, neuropil.Fine(x, y), background, halfWidth, lineWidth));
                    }
                }
            }
        });
    }

    private static double AxonTransmission(Axon axon, double radial, double texture, double background, double halfWidth, double lineWidth)
    {
        var axoplasm = 0.76 + 0.05 * texture;
        var inside = Math.Clamp((axon.Radius - radial) / (2 * halfWidth) + 0.5, 0, 1);
        var value = background + inside * (axoplasm - background);
        if (axon.IsMyelinated)
        {
            var myelin = 0.2 + 0.04 * texture;
            value += MyelinMap.CoverageAtRadius(axon, radial, halfWidth) * (myelin - value);
            value *= 1 - 0.5 * NeuropilLayout.Gaussian(radial - axon.OuterRadius, lineWidth);
        }

        value *= 1 - 0.6 * NeuropilLayout.Gaussian(radial - axon.Radius, lineWidth);
        return Math.Clamp(value, 0, 1);
    }
}
