using System.Globalization;
using AffectMae.Models.Pipeline;

namespace AffectMae.Models.Tests.Pipeline;

public sealed class AffectCsvTests
{
    private static FrameAffect Row(int frame) => new(frame, true, 0.1f, -1f / 3, 4,
        [0.05f, 0.05f, 0.05f, 0.05f, 0.6f, 0.1f, 0.05f, 0.05f],
        Enumerable.Range(0, 12).Select(j => j / 12f).ToArray(),
        Enumerable.Range(0, 12).Select(j => j >= 6).ToArray());

    [Fact]
    public void The_header_names_every_column_and_a_row_round_trips_its_numbers()
    {
        using var text = new StringWriter();

        AffectCsv.Write(text, [Row(5)]);

        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("frame,face_found,valence,arousal,expression,p_Neutral,p_Anger,p_Disgust,p_Fear,p_Happiness,p_Sadness,p_Surprise,p_Other,"
            + "p_AU1,p_AU2,p_AU4,p_AU6,p_AU7,p_AU10,p_AU12,p_AU15,p_AU23,p_AU24,p_AU25,p_AU26,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26");
        var cells = lines[1].Split(',');
        cells.Should().HaveCount(37);
        (cells[0], cells[1], cells[4]).Should().Be(("5", "1", "Happiness"));
        float.Parse(cells[3], CultureInfo.InvariantCulture).Should().Be(-1f / 3, "written in round-trip form");
        float.Parse(cells[13 + 5], CultureInfo.InvariantCulture).Should().Be(5 / 12f);
        cells[25..].Should().Equal("0", "0", "0", "0", "0", "0", "1", "1", "1", "1", "1", "1");
    }

    [Fact]
    public void A_frame_without_a_face_keeps_its_row_with_empty_values_and_callers_can_add_columns_after_the_frame_number()
    {
        using var text = new StringWriter();

        AffectCsv.Write(text, [FrameAffect.NoFace(9)], ["time"], f => [(f.Frame / 30.0).ToString("F3", CultureInfo.InvariantCulture)]);

        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("frame,time,face_found,valence");
        lines[1].Should().Be("9,0.300,0" + new string(',', 35));
    }
}
