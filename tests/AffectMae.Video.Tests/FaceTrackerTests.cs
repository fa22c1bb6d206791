using AffectMae.Video.Faces;
using OpenCvSharp;

namespace AffectMae.Video.Tests;

public sealed class FaceTrackerTests
{
    /// <summary>A detector that returns, for each call, the next scripted list of faces (in the coordinates of the image it is given) and records the image sizes.</summary>
    private sealed class ScriptedDetector(params FaceBox[][] script) : IFaceDetector
    {
        private int call;
        public List<Size> Searched { get; } = [];
        public bool GivesLandmarks => false;

        public IReadOnlyList<FaceDetection> Detect(Mat image)
        {
            Searched.Add(image.Size());
            var boxes = call < script.Length ? script[call] : [];
            call++;
            return boxes.Select(b => new FaceDetection(b, 1, null)).ToArray();
        }

        public void Dispose()
        {
        }
    }

    private static readonly Mat Frame = new(200, 300, MatType.CV_8UC3, Scalar.Black);

    [Fact]
    public void The_largest_face_is_taken_and_kept_when_a_larger_one_appears()
    {
        var subject = new FaceBox(10, 10, 40, 40);
        var bystander = new FaceBox(150, 50, 30, 30);
        var newcomer = new FaceBox(200, 100, 90, 90);
        var detector = new ScriptedDetector([bystander, subject], [newcomer, subject]);
        var tracker = new FaceTracker(detector, new FaceTrackerOptions { DetectEvery = 1, Smoothing = 1 });

        tracker.Next(Frame)!.Detection.Box.Should().Be(subject);
        tracker.Next(Frame)!.Detection.Box.Should().Be(subject);
        tracker.TrackNumber.Should().Be(1);
    }

    [Fact]
    public void Boxes_are_smoothed_exponentially_and_afresh_after_a_gap()
    {
        var detector = new ScriptedDetector(
            [new FaceBox(100, 100, 40, 40)],
            [new FaceBox(110, 100, 40, 40)],
            [],
            [new FaceBox(120, 100, 40, 40)]);
        var tracker = new FaceTracker(detector, new FaceTrackerOptions { DetectEvery = 1, Smoothing = 0.6 });

        tracker.Next(Frame)!.Detection.Box.X.Should().Be(100);
        // 0.6 · 110 + 0.4 · 100 = 106
        tracker.Next(Frame)!.Detection.Box.X.Should().BeApproximately(106, 1e-4f);
        tracker.Next(Frame).Should().BeNull();
        // After a frame without the face the detection is taken as it is: IoU(120 vs 106, width 40) = 26/54 ≥ 0.3.
        tracker.Next(Frame)!.Detection.Box.X.Should().Be(120);
        tracker.TrackNumber.Should().Be(1);
    }

    [Fact]
    public void Between_whole_frame_searches_only_the_region_around_the_face_is_searched()
    {
        var face = new FaceBox(100, 60, 40, 40);   // centre (120, 80); region 2.5 · 40 = 100 → x 70–170, y 30–130
        var inRegion = new FaceBox(32, 30, 40, 40);   // the same face, in region coordinates
        var detector = new ScriptedDetector([face], [inRegion], [inRegion], [face]);
        var tracker = new FaceTracker(detector, new FaceTrackerOptions { DetectEvery = 3, Smoothing = 1 });

        var first = tracker.Next(Frame)!;
        var second = tracker.Next(Frame)!;
        var third = tracker.Next(Frame)!;
        var fourth = tracker.Next(Frame)!;

        detector.Searched.Should().Equal(new Size(300, 200), new Size(100, 100), new Size(100, 100), new Size(300, 200));
        (first.WholeFrameSearch, second.WholeFrameSearch, third.WholeFrameSearch, fourth.WholeFrameSearch).Should().Be((true, false, false, true));
        second.Detection.Box.Should().Be(new FaceBox(102, 60, 40, 40));   // region offset (70, 30) added back
    }

    [Fact]
    public void A_face_lost_in_its_region_is_searched_for_in_the_whole_frame_at_once()
    {
        var face = new FaceBox(100, 60, 40, 40);
        var moved = new FaceBox(110, 60, 40, 40);
        var detector = new ScriptedDetector([face], [], [moved]);
        var tracker = new FaceTracker(detector, new FaceTrackerOptions { DetectEvery = 5, Smoothing = 1 });

        tracker.Next(Frame);
        var next = tracker.Next(Frame)!;

        detector.Searched.Should().Equal(new Size(300, 200), new Size(100, 100), new Size(300, 200));
        next.WholeFrameSearch.Should().BeTrue();
        next.Detection.Box.Should().Be(moved);
    }

    [Fact]
    public void Another_face_is_taken_only_after_the_subject_was_missing_longer_than_allowed()
    {
        var subject = new FaceBox(10, 10, 40, 40);
        var other = new FaceBox(200, 100, 50, 50);
        var detector = new ScriptedDetector([subject], [other], [other], [other]);
        var tracker = new FaceTracker(detector, new FaceTrackerOptions { DetectEvery = 1, MaxMissedFrames = 2 });

        tracker.Next(Frame)!.TrackNumber.Should().Be(1);
        tracker.Next(Frame).Should().BeNull();
        tracker.Next(Frame).Should().BeNull();
        var taken = tracker.Next(Frame)!;
        taken.Detection.Box.Should().Be(other);
        taken.TrackNumber.Should().Be(2);
    }

    [Fact]
    public void After_a_gap_the_subject_is_taken_back_nearby_though_it_moved_on_while_hidden()
    {
        var before = new FaceBox(100, 60, 40, 40);
        var after = new FaceBox(122, 60, 40, 40);   // 22 pixels on: IoU 18/62 = 0.29 < MinIou 0.3
        var farAway = new FaceBox(200, 60, 40, 40);
        // One frame missed: reach (½ + 0.1)·40 = 24 pixels, so 22 is near enough.
        var detector = new ScriptedDetector([before], [], [after]);
        var tracker = new FaceTracker(detector, new FaceTrackerOptions { DetectEvery = 1 });
        tracker.Next(Frame);
        tracker.Next(Frame).Should().BeNull();
        var back = tracker.Next(Frame)!;
        back.Detection.Box.Should().Be(after);
        back.TrackNumber.Should().Be(1);

        // A face 100 pixels off (2.5 sides) after one missed frame is not the subject; consecutive frames need MinIou.
        var strict = new FaceTracker(new ScriptedDetector([before], [], [farAway], [after]), new FaceTrackerOptions { DetectEvery = 1 });
        strict.Next(Frame);
        strict.Next(Frame);
        strict.Next(Frame).Should().BeNull();
        var nearAgain = strict.Next(Frame)!;   // two frames missed: reach (½ + 0.2)·40 = 28 ≥ 22
        nearAgain.Detection.Box.Should().Be(after);
        var noGap = new FaceTracker(new ScriptedDetector([before], [after]), new FaceTrackerOptions { DetectEvery = 1 });
        noGap.Next(Frame);
        noGap.Next(Frame).Should().BeNull();

        // Near enough but 1.8 times the area (a false face beside the covered one): not the subject.
        var larger = new FaceBox(123, 53, 54, 54);   // centre 30 pixels on, IoU 680/3836 = 0.18; after 3 missed frames reach (½ + 0.3)·40 = 32
        var sizeCheck = new FaceTracker(new ScriptedDetector([before], [], [], [], [larger]), new FaceTrackerOptions { DetectEvery = 1 });
        sizeCheck.Next(Frame);
        for (int i = 0; i < 3; i++)
            sizeCheck.Next(Frame);
        sizeCheck.Next(Frame).Should().BeNull();
    }
}
