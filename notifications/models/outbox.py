from django.db import models


class OutboxMessage(models.Model):
    """A text the development SMS backend 'sent'. The number is kept masked: even a
    development database should not hold someone's mobile number in clear."""

    to_masked = models.CharField(max_length=20)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"To {self.to_masked}: {self.body[:40]}"
