using System.Text;
using LabelFree.Messages;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Cli;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Tests.Cli;

/// <summary>How submit names stacks and how batch-status reads a batch back from storage.</summary>
public class StackSubmissionTests
{
    [Theory]
    [InlineData("well-B4.ome.tiff", "well-B4")]
    [InlineData("well_B4_t003.tif", "well_B4_t003")]
    [InlineData("plate3.TIFF", "plate3")]
    [InlineData("stack.v2.ome.tif", "stack.v2")]
    public void A_file_name_that_is_a_valid_id_becomes_the_stack_id_without_its_tiff_extension(string file, string expected)
    {
        Assert.Equal(expected, StackSubmission.StackIdFor(file));
    }

    [Theory]
    [InlineData("well B4.ome.tiff")]
    [InlineData("Zelle_µm.tif")]
    [InlineData("_hidden.tif")]
    public void Other_file_names_get_a_valid_id_that_is_stable_and_unique(string file)
    {
        var id = StackSubmission.StackIdFor(file);

        Assert.True(PredictionLayout.IsValidIdentifier(id), id);
        Assert.Equal(id, StackSubmission.StackIdFor(file));
        Assert.NotEqual(id, StackSubmission.StackIdFor(file.Replace(".tif", "x.tif", StringComparison.Ordinal)));
    }

    [Fact]
    public void Names_that_differ_only_in_replaced_characters_get_different_ids()
    {
        Assert.NotEqual(StackSubmission.StackIdFor("well B4.tif"), StackSubmission.StackIdFor("well+B4.tif"));
    }

    [Fact]
    public async Task Batch_status_counts_done_rejected_and_pending_stacks_from_storage()
    {
        var root = TestEnvironment.NewTempFolder();
        try
        {
            var layout = new PredictionLayout("labelfree", "labelfree");
            var store = new LocalFolderBlobStore(root, new BlobLocationPolicy(layout.Areas.Append(new StorageArea("inputs", ""))));
            var submission = new StackSubmission(store, layout, "inputs", "");
            var files = new[] { "a.tif", "b.tif", "c.tif" }.Select(name =>
            {
                var path = Path.Combine(root, name);
                File.WriteAllBytes(path, Encoding.UTF8.GetBytes(name));
                return new FileInfo(path);
            }).ToArray();
            foreach (var file in files)
            {
                await submission.UploadAsync(file, "plate-1", new ChannelSelector { Index = 0 }, null, Modality.BrightField, CancellationToken.None);
            }

            await store.TryCreateAsync(layout.Manifest("plate-1", "a"), "{}"u8.ToArray(), "application/json");
            await store.TryCreateAsync(layout.Rejection("plate-1", "b"),
                """{"stackId":"b","batchId":"plate-1","reason":"Truncated","message":"inputs/plate-1/b.tif ends early","rejectedAt":"2026-11-25T10:00:00Z"}"""u8.ToArray(),
                "application/json");

            var status = await BatchStatus.ReadAsync(store, layout, "plate-1", CancellationToken.None);

            Assert.Equal((1, 1, 1), (status.Done, status.Rejected, status.Pending));
            Assert.Equal(["a", "b", "c"], status.Stacks.Select(s => s.StackId));
            Assert.Equal(RejectionReason.Truncated, status.Stacks[1].Reason);
            Assert.Equal("inputs/plate-1/b.tif ends early", status.Stacks[1].Message);
            Assert.Equal(Encoding.UTF8.GetBytes("c.tif"), await store.ReadAllBytesAsync(new BlobLocation { Container = "inputs", Name = "plate-1/c.tif" }));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
