import json

def lambda_handler(event, context):
    """
    Valide les données d'entrée du workflow.
    """
    print(f"ValidateInput - Event reçu: {json.dumps(event)}")
    
    # Vérifier les champs requis
    required_fields = ['name', 'email', 'amount']
    
    for field in required_fields:
        if field not in event:
            return {
                'statusCode': 400,
                'isValid': False,
                'error': f'Champ manquant: {field}',
                'input': event
            }
    
    # Vérifier que amount est positif
    if event['amount'] <= 0:
        return {
            'statusCode': 400,
            'isValid': False,
            'error': 'Le montant doit être positif',
            'input': event
        }
    
    # Validation réussie
    return {
        'statusCode': 200,
        'isValid': True,
        'message': 'Validation réussie',
        'data': event
    }
