using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Pipeline.Training;

namespace LabelFree.Pipeline.Tests.Training;

public class PairsCsvTests
{
    [Fact]
    public void Relative_paths_resolve_against_the_csv_folder_and_optional_columns_are_read()
    {
        var folder = TestEnvironment.NewTempFolder();
        var csv = Path.Combine(folder, "pairs.csv");
        File.WriteAllText(csv,
            "signal,target,signal_channel,target_channel,voxel_z_um,voxel_y_um,voxel_x_um\n" +
            "a/bf.tif,a/dna.tif,0,1,0.29,0.108,0.108\n" +
            "\"b,1/bf.tif\",b/dna.tif,,,,,\n");

        var pairs = PairsCsv.Read(csv);

        Assert.Equal(2, pairs.Count);
        Assert.Equal(Path.Combine(folder, "a", "bf.tif"), pairs[0].SignalPath);
        Assert.Equal(0, pairs[0].SignalChannel);
        Assert.Equal(1, pairs[0].TargetChannel);
        Assert.Equal(new VoxelSize(0.29, 0.108, 0.108), pairs[0].VoxelSize);
        Assert.Equal(Path.Combine(folder, "b,1", "bf.tif"), pairs[1].SignalPath);
        Assert.Null(pairs[1].SignalChannel);
        Assert.Null(pairs[1].VoxelSize);
    }

    [Fact]
    public void A_pytorch_fnet_csv_with_its_column_names_reads_unchanged()
    {
        var folder = TestEnvironment.NewTempFolder();
        var csv = Path.Combine(folder, "dna.csv");
        File.WriteAllText(csv, "path_signal,path_target,channel_signal,channel_target\n/data/x.tif,/data/x.tif,6,5\n");

        var pair = Assert.Single(PairsCsv.Read(csv));

        Assert.Equal("/data/x.tif", pair.SignalPath);
        Assert.Equal(6, pair.SignalChannel);
        Assert.Equal(5, pair.TargetChannel);
    }

    [Fact]
    public void Written_pairs_read_back_the_same()
    {
        var folder = TestEnvironment.NewTempFolder();
        var csv = Path.Combine(folder, "pairs.csv");
        var pairs = new[]
        {
            new ImagePair(Path.Combine(folder, "s0.tif"), Path.Combine(folder, "t0.tif"), 0, 2, new VoxelSize(0.5, 0.2, 0.2)),
            new ImagePair(Path.Combine(folder, "s1.tif"), Path.Combine(folder, "t1.tif")),
        };

        PairsCsv.Write(csv, pairs);

        Assert.Equal(pairs, PairsCsv.Read(csv));
    }

    [Theory]
    [InlineData("signal,target\n", "lists no pairs")]
    [InlineData("input,output\na.tif,b.tif\n", "'signal' and 'target'")]
    [InlineData("signal,target,signal_channel\na.tif,b.tif,-1\n", "row 2: signal_channel")]
    [InlineData("signal,target,voxel_z_um\na.tif,b.tif,1\n", "all three columns")]
    [InlineData("signal,target,voxel_z_um,voxel_y_um,voxel_x_um\na.tif,b.tif,0.3,zero,0.1\n", "voxel_y_um")]
    public void A_bad_csv_is_refused_naming_the_file_and_the_problem(string content, string expected)
    {
        var csv = Path.Combine(TestEnvironment.NewTempFolder(), "bad.csv");
        File.WriteAllText(csv, content);

        var error = Assert.Throws<PairsCsvException>(() => PairsCsv.Read(csv));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(csv, error.Message, StringComparison.Ordinal);
    }
}
