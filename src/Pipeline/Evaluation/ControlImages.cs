using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Evaluation;

/// <summary>
/// Control images: acquired with the same settings as the targets but without the label. Their mean
/// variance is the noise level ⟨N²⟩ behind C_max (METHOD.md §6).
/// </summary>
public static class ControlImages
{
    /// <summary>The noise variance of every TIFF in <paramref name="folder"/> (every channel and time point counts as one image).</summary>
    public static double NoiseVariance(string folder, ImageReadOptions? options = null)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The control image folder {folder} does not exist.");
        }

        var files = Directory.EnumerateFiles(folder)
            .Where(f => f.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"The control image folder {folder} holds no .tif or .tiff files.");
        }

        var volumes = new List<Volume>();
        foreach (var file in files)
        {
            var image = HyperstackFile.Read(file, options);
            for (var t = 0; t < image.Frames; t++)
            {
                for (var c = 0; c < image.Channels; c++)
                {
                    volumes.Add(image[t, c]);
                }
            }
        }

        return CorrelationCeiling.EstimateNoiseVariance(volumes);
    }
}
