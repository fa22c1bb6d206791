using AffectMae.Models.Pipeline;

namespace AffectMae.Models.Tests.Pipeline;

public sealed class AbawSubmissionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("affectmae-submission-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static FrameAffect Face(int frame, float valence, int expression) => new(frame, true, valence, -valence, expression,
        [.. Enumerable.Range(0, 8).Select(c => c == expression ? 0.9f : 0.1f / 7)], [.. Enumerable.Repeat(0.7f, 12)], [.. Enumerable.Range(0, 12).Select(j => j % 2 == 0)]);

    [Fact]
    public void Frames_without_a_face_take_the_nearest_earlier_face_frame_or_the_first_at_the_start()
    {
        var video = new VideoAffect("v", [FrameAffect.NoFace(1), Face(2, 0.5f, 4), FrameAffect.NoFace(3), Face(4, -0.25f, 1)], [1, 3]);

        var files = AbawSubmission.Write(folder, [video]);

        files.Select(Path.GetFileName).Should().Equal("va.txt", "expr.txt", "au.txt");
        File.ReadAllLines(Path.Combine(folder, "va.txt")).Should().Equal(
            "image_location,valence,arousal", "v/00001.jpg,0.5,-0.5", "v/00002.jpg,0.5,-0.5", "v/00003.jpg,0.5,-0.5", "v/00004.jpg,-0.25,0.25");
        File.ReadAllLines(Path.Combine(folder, "expr.txt")).Skip(1).Select(l => l.Split(',')[1]).Should().Equal("4", "4", "4", "1");
        File.ReadAllLines(Path.Combine(folder, "au.txt"))[1].Should().Be("v/00001.jpg,1,0,1,0,1,0,1,0,1,0,1,0");
    }

    [Fact]
    public void A_video_that_does_not_start_at_frame_one_is_refused_naming_it()
    {
        var write = () => AbawSubmission.Write(folder, [new VideoAffect("late", [Face(5, 0, 0)], [])]);

        write.Should().Throw<ArgumentException>().WithMessage("Video 'late' starts at frame 5*");
    }
}
