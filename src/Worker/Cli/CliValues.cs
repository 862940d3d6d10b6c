using System.CommandLine.Parsing;
using System.Globalization;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Cli;

/// <summary>Parsers for option values written as comma lists ("Z,Y,X"), shared by the verbs.</summary>
public static class CliValues
{
    /// <summary>"0.29,0.108,0.108" (Z,Y,X µm) or one number for isotropic voxels.</summary>
    public static VoxelSize? VoxelSize(ArgumentResult result)
    {
        var numbers = Numbers(result, "a voxel size Z,Y,X");
        if (numbers is null)
        {
            return null;
        }

        var size = numbers.Length switch
        {
            1 => Pipeline.Imaging.VoxelSize.Isotropic(numbers[0]),
            3 => new VoxelSize(numbers[0], numbers[1], numbers[2]),
            _ => (VoxelSize?)null,
        };
        if (size is not { IsValid: true })
        {
            result.AddError($"{result.Token()} needs Z,Y,X in µm (or one number), all positive: got '{Text(result)}'.");
            return null;
        }

        return size;
    }

    /// <summary>"32,64,64" (Z,Y,X voxels); for a 2D shape "256,256" (Y,X, Z = 1).</summary>
    public static VolumeShape? Shape(ArgumentResult result)
    {
        var numbers = Numbers(result, "a shape Z,Y,X");
        if (numbers is null)
        {
            return null;
        }

        if (numbers.Any(n => n < 1 || n != Math.Floor(n) || n > int.MaxValue) || numbers.Length is not (2 or 3))
        {
            result.AddError($"{result.Token()} needs Z,Y,X (or Y,X) positive whole numbers: got '{Text(result)}'.");
            return null;
        }

        return numbers.Length == 3
            ? new VolumeShape((int)numbers[0], (int)numbers[1], (int)numbers[2])
            : new VolumeShape(1, (int)numbers[0], (int)numbers[1]);
    }

    /// <summary>"dna,membrane" or repeated options, as one list.</summary>
    public static string[] List(ArgumentResult result) =>
        result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static double[]? Numbers(ArgumentResult result, string what)
    {
        var text = Text(result);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                result.AddError($"{result.Token()} expects {what} as comma-separated numbers: got '{text}'.");
                return null;
            }
        }

        return numbers;
    }

    private static string Text(ArgumentResult result) => string.Join(",", result.Tokens.Select(t => t.Value));

    private static string Token(this ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
