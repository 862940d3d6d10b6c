using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Pipeline.Training;

namespace LabelFree.Pipeline.Tests.Training;

public class LossLogTests
{
    [Fact]
    public void Validation_loss_and_r_round_trip_and_rows_without_validation_leave_them_empty()
    {
        var run = TestEnvironment.NewTempFolder();
        var log = new LossLog(run);
        log.Add(new LossRecord(1, 0.5, null));
        log.Add(new LossRecord(2, 0.25, 0.3, 0.875));
        log.Flush();

        var read = LossLog.Read(Path.Combine(run, LossLog.FileName));

        Assert.Equal([new LossRecord(1, 0.5, null), new LossRecord(2, 0.25, 0.3, 0.875)], read);
    }

    [Fact]
    public void A_file_written_before_validation_r_existed_still_reads()
    {
        var path = Path.Combine(TestEnvironment.NewTempFolder(), LossLog.FileName);
        File.WriteAllLines(path, ["iteration,train_loss,validation_loss", "1,0.5,", "2,0.25,0.3"]);

        var read = LossLog.Read(path);

        Assert.Equal([new LossRecord(1, 0.5, null), new LossRecord(2, 0.25, 0.3)], read);
    }
}
