"""kofukin: scoring and allocation of Japan's long-term-care insurer incentive grants.

保険者機能強化推進交付金・介護保険保険者努力支援交付金 — indicator catalogue, scoring rules,
allocation rules and the report pipeline's building blocks.
"""

__version__ = "0.1.0"
