"""Text pictures shared by the command line, the exports and the app: the network drawing, charts,
the decision boundary. Each is built as styled lines (views.styled) and knows nothing of Textual;
the app turns the style tags into colours, the command line into ANSI or nothing."""
