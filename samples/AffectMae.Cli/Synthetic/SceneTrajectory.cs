// Draws the appearance of a video and its per-frame nuisance: smooth head pose with a little per-frame jitter,
// lighting that brightens, dims and swings from side to side, and in some videos an object that passes in front of
// the face for a while. Like Aff-Wild2's cropped_aligned frames, faces are aligned: in-plane motion (shift, roll,
// scale) is only residual alignment jitter, while out-of-plane turns (yaw, pitch) stay.
using static AffectMae.Cli.Synthetic.SmoothSignal;

namespace AffectMae.Cli.Synthetic;

/// <summary>Seeded appearance and per-frame <see cref="SceneState"/> of a video.</summary>
internal static class SceneTrajectory
{
    /// <summary>Probability that a video has occlusion episodes.</summary>
    public const double OccludedVideoProbability = 0.4;

    private static readonly uint[] SkinTones = [0xF1C9A5, 0xE0AC8A, 0xC68E68, 0x9C6B4A, 0x6E4A33];
    private static readonly uint[] HairTones = [0x2B1B12, 0x4A3222, 0x7A5A3A, 0x151515, 0x8C8C8C];

    /// <summary>Draws a subject's appearance.</summary>
    /// <param name="random">The video's stream.</param>
    /// <returns>The appearance.</returns>
    public static Appearance DrawAppearance(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        uint skin = Jitter(random, SkinTones[random.Next(SkinTones.Length)], 12);
        uint hair = Jitter(random, HairTones[random.Next(HairTones.Length)], 10);
        uint lips = Jitter(random, 0xB0505A, 20);
        uint background = Jitter(random, 0x708090, 60);
        return new Appearance(skin, hair, lips, background, (float)Uniform(random, 0.9, 1.1), (float)Uniform(random, 2, 7));
    }

    /// <summary>Draws the nuisance state of every frame.</summary>
    /// <param name="random">The video's stream.</param>
    /// <param name="frameCount">Number of frames.</param>
    /// <returns>One state per frame.</returns>
    public static SceneState[] Generate(Random random, int frameCount)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        var yaw = new SmoothSignal(random, Uniform(random, -0.06, 0.06), 0.15, 50, 300);
        var pitch = new SmoothSignal(random, 0, 0.06, 50, 300);
        var roll = new SmoothSignal(random, 0, 2.5, 60, 400);
        var shiftX = new SmoothSignal(random, 0, 1.0, 80, 500);
        var shiftY = new SmoothSignal(random, 0, 1.0, 80, 500);
        var scale = new SmoothSignal(random, Uniform(random, 0.97, 1.02), 0.02, 100, 600);
        var brightness = new SmoothSignal(random, Uniform(random, 0.85, 1.05), 0.1, 150, 700);
        var shadeAngle = new SmoothSignal(random, Uniform(random, 0, 2 * Math.PI), 1.0, 200, 900);
        var shadeStrength = new SmoothSignal(random, Uniform(random, 0.05, 0.3), 0.1, 150, 700);
        var occluders = DrawOccluders(random, frameCount);

        var states = new SceneState[frameCount];
        for (int t = 0; t < frameCount; t++)
        {
            states[t] = new SceneState(
                Yaw: (float)(yaw.At(t) + 0.01 * Gaussian(random)),
                Pitch: (float)(pitch.At(t) + 0.01 * Gaussian(random)),
                Roll: (float)(roll.At(t) + 0.3 * Gaussian(random)),
                ShiftX: (float)(shiftX.At(t) + 0.2 * Gaussian(random)),
                ShiftY: (float)(shiftY.At(t) + 0.2 * Gaussian(random)),
                Scale: (float)scale.At(t),
                Brightness: (float)Math.Clamp(brightness.At(t), 0.6, 1.2),
                ShadeAngle: (float)shadeAngle.At(t),
                ShadeStrength: (float)Math.Clamp(shadeStrength.At(t), 0, 0.5),
                Occluder: occluders[t]);
        }
        return states;
    }

    /// <summary>1–2 episodes of 8–39 frames in a fraction of the videos; the object drifts slowly across the face.</summary>
    private static Occluder?[] DrawOccluders(Random random, int frameCount)
    {
        var occluders = new Occluder?[frameCount];
        if (random.NextDouble() >= OccludedVideoProbability || frameCount < 40) return occluders;
        int episodes = random.Next(1, 3);
        for (int e = 0; e < episodes; e++)
        {
            int length = random.Next(8, 40);
            int start = random.Next(0, frameCount - length);
            bool hand = random.NextDouble() < 0.6;
            float x = (float)Uniform(random, 15, 60), y = (float)Uniform(random, 30, 70);
            float w = (float)Uniform(random, 18, 35), h = (float)Uniform(random, 12, 30);
            float dx = (float)Uniform(random, -0.4, 0.4), dy = (float)Uniform(random, -0.3, 0.3);
            for (int u = 0; u < length; u++)
                occluders[start + u] = new Occluder(x + dx * u, y + dy * u, w, h, hand);
        }
        return occluders;
    }

    /// <summary>An approximately standard normal draw (sum of 4 uniforms, rescaled).</summary>
    private static double Gaussian(Random random)
        => (random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2.0) * Math.Sqrt(3.0);

    private static uint Jitter(Random random, uint rgb, int amount)
    {
        uint result = 0;
        for (int shift = 16; shift >= 0; shift -= 8)
        {
            int channel = (int)((rgb >> shift) & 0xFF) + random.Next(-amount, amount + 1);
            result |= (uint)Math.Clamp(channel, 0, 255) << shift;
        }
        return result;
    }
}
